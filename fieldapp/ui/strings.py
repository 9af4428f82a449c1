"""Every user-facing zh-CN text of the phone app, in the words of the 2022 plan.

Rules for screen code:

* Never write a Chinese literal in a screen module: add a constant here and use it.
  ``scripts/make_font_subset.py`` reads this file, so every character used here is
  guaranteed to be in the bundled font subset (characters outside GB2312 would
  otherwise render as empty boxes).
* Texts with values use ``str.format`` fields: ``strings.DUE_IN_DAYS.format(n=3)``.
* Category names, communities and sources are *data* (``assets/rules/``), not here.
  After adding rules with characters outside GB2312, regenerate the font.

Words of the plan: 整改期限 (rectification deadline), 复查 (re-check),
整改到位 / 未整改到位 (rectified / falls short), 逾期 (overdue), 明察暗访
(announced / unannounced checks — the plan writes 明察, not 明查), 作废 (void).
"""

from __future__ import annotations

# --- app -------------------------------------------------------------------
APP_TITLE = "整脏治乱巡查"
APP_ORG = "环北办事处"

# --- bottom navigation tabs ---------------------------------------------------
TAB_CASES = "我的案件"
TAB_NEW = "登记问题"
TAB_SURVEY = "满意度调查"
TAB_SYNC = "同步"
TAB_ME = "我的"

# --- screen titles (shown as the heading of each tab) --------------------------
TITLE_CASES = TAB_CASES
TITLE_NEW = TAB_NEW
TITLE_SURVEY = TAB_SURVEY
TITLE_SYNC = "同步到办事处"
TITLE_ME = TAB_ME

# --- empty states ---------------------------------------------------------------
CASES_EMPTY = "暂无案件"
CASES_EMPTY_HINT = "登记的问题会按整改期限排在这里：逾期、今日到期、本周到期。"
NEW_EMPTY = "登记一个新问题"
NEW_EMPTY_HINT = "选择“五脏”“五乱”问题类别，拍照、定位，填写整改期限。"
SURVEY_EMPTY = "暂无问卷"
SURVEY_EMPTY_HINT = "在社区现场请居民填写满意度调查问卷，没有网络也能填写。"
SYNC_EMPTY = "尚未同步"
SYNC_EMPTY_HINT = "回到办事处连上无线网络后，在这里把案件和照片同步到办事处。"
ME_EMPTY = "本机尚未登记"
ME_EMPTY_HINT = "请向城管科索取登记码，把本机登记为巡查设备。"

# --- case status and deadlines ----------------------------------------------------
CASE = "案件"
PROBLEM = "问题"
COMMUNITY = "社区"
CATEGORY = "问题类别"
FIVE_DIRTY = "五脏"
FIVE_CHAOTIC = "五乱"
STATUS_OPEN = "待整改"
STATUS_RECTIFIED = "整改到位"
STATUS_NOT_RECTIFIED = "未整改到位"
STATUS_OVERDUE = "逾期"
STATUS_VOIDED = "已作废"
STATUS_RECURRED = "再次出现"
DEADLINE = "整改期限"
DUE_TODAY = "今日到期"
DUE_THIS_WEEK = "本周到期"
DUE_LATER = "以后到期"
DUE_IN_DAYS = "剩{n}天"
OVERDUE_BY_DAYS = "逾期{n}天"
RECHECK = "复查"
RECHECK_RESULT = "复查结果"
VOID = "作废"
VOID_REASON = "作废原因"
MODE_OPEN = "明察"
MODE_COVERT = "暗访"
INSPECTION_MODE = "检查方式"
NOTE = "备注"
REGISTERED_AT = "登记时间"
INSPECTOR = "巡查人员"

# --- photos and position ----------------------------------------------------------
PHOTO = "照片"
PHOTO_BEFORE = "整改前照片"
PHOTO_AFTER = "整改后照片"
TAKE_PHOTO = "拍照"
PICK_PHOTO = "从相册选择"
LOCATE = "定位"
LOCATING = "正在定位…"
LOCATION_ACCURACY = "定位精度 {m} 米"
LOCATION_FAILED = "定位失败，请到开阔处重试"

# --- satisfaction survey ------------------------------------------------------------
SATISFIED = "满意"
FAIRLY_SATISFIED = "基本满意"
DISSATISFIED = "不满意"
QUESTIONNAIRE = "问卷"

# --- sync -------------------------------------------------------------------------------
SYNC_NOW = "立即同步"
SYNCING = "正在同步…"
SYNC_OK = "同步完成"
SYNC_FAILED = "同步失败，数据仍保存在本机，稍后可重试"
LAST_SYNC = "上次同步：{when}"
PENDING_EVENTS = "待上传 {n} 条记录"
PENDING_PHOTOS = "待上传 {n} 张照片"

# --- common actions -------------------------------------------------------------------
SAVE = "保存"
SUBMIT = "提交"
CANCEL = "取消"
CONFIRM = "确定"
BACK = "返回"
RETRY = "重试"
SAVED = "已保存"
REQUIRED = "必填"

# --- dates (display in China Standard Time) -------------------------------------------
DATE_FMT = "{month}月{day}日"
DATE_FULL_FMT = "{year}年{month}月{day}日"
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

# =====================================================================================
# Screens (added with the inspector's screens)
# =====================================================================================

# --- 我的案件 ------------------------------------------------------------------------
ALL = "全部"
ALL_COMMUNITIES = "全部社区"
FILTER_STATUS_ALL = "全部待办"
STATUS_DUE_SOON = "即将到期"
STATUS_LATER = "待整改"
STATUS_RECTIFIED_ON_TIME = "按期整改到位"
STATUS_RECTIFIED_LATE = "逾期整改到位"
ONLY_MINE = "我登记的"
LOAD_MORE = "加载更多"
LOADING = "正在加载…"
ALL_SHOWN = "已显示全部 {n} 件"
CASES_FILTER_EMPTY = "没有符合条件的待办案件"
CASES_FILTER_EMPTY_HINT = "换一个社区或状态看看。"
DEADLINE_ON = "整改期限 {date}"
NO_PLACE = "未填写地点"
THUMB_MISSING = "无照片"
CASES_COUNT = "待办 {n} 件"

# --- 案件详情 ------------------------------------------------------------------------
TITLE_DETAIL = "案件详情"
POSITION = "位置"
POSITION_FMT = "北纬 {lat:.5f}，东经 {lon:.5f}"
POSITION_FMT_ANY = "纬度 {lat:.5f}，经度 {lon:.5f}"
NO_POSITION = "没有定位，只有地点描述"
DISTANCE_FROM_HERE = "距您约 {d}"
DISTANCE_M = "{n} 米"
DISTANCE_KM = "{n:.1f} 公里"
PLACE = "地点"
TIMELINE = "处理记录"
NO_AFTER_PHOTO = "还没有整改后照片"
CASE_CLOSED_RECTIFIED = "已整改到位，无需再复查"
CASE_CLOSED_VOIDED = "已作废：{reason}"
REGISTERED_BY = "登记人 {who}"
SIGHTINGS = "再次看到 {n} 次"
FALLS_SHORT_MARK = "上次复查未整改到位"
VIEW_PHOTO = "查看照片"
CLOSE = "关闭"
PHOTO_LOAD_FAILED = "照片文件不在本机（可能尚未同步）"
CASE_GONE = "找不到这个案件，可能已被删除"
# timeline entries (history, by event type)
EV_REGISTERED = "登记问题：{category}，整改期限 {deadline}"
EV_PHOTO_BEFORE = "添加整改前照片"
EV_PHOTO_AFTER = "添加整改后照片"
EV_SIGHTED = "再次看到此问题"
EV_RECHECK_OK = "复查：整改到位"
EV_RECHECK_SHORT = "复查：未整改到位"
EV_DEADLINE = "整改期限改为 {deadline}：{reason}"
EV_VERIFIED = "经核查属实"
EV_EXEMPTED = "确因特殊情况免于扣分：{reason}"
EV_VOIDED = "作废：{reason}"
EV_RECURRENCE_PROPOSED = "疑似整改后再次出现（待办事处确认）"
EV_RECURRENCE_CONFIRMED = "办事处确认：整改后再次出现"
EV_RECURRENCE_REJECTED = "办事处认定：不是同一问题"
EV_OTHER = "其他记录"
EV_NOTE = "说明：{note}"

# --- 复查 / 作废 ---------------------------------------------------------------------
RECHECK_TITLE = "复查"
RECHECK_HINT = "拍一张整改后照片，选择复查结果。"
RECHECK_SAVE = "保存复查结果"
RECHECK_SAVED = "复查结果已保存：{result}"
RECHECK_NEED_RESULT = "请选择复查结果：整改到位或未整改到位"
VOID_TITLE = "作废案件"
VOID_HINT = "作废后此案件不再计分。请写明原因（如：重复登记、登记错误）。"
VOID_CONFIRM = "确定作废"
VOID_SAVED = "案件已作废"

# --- 登记问题 ------------------------------------------------------------------------
SECTION_CATEGORY = "问题类别（必选）"
SECTION_PHOTOS = "照片（至少一张）"
SECTION_POSITION = "位置"
SECTION_COMMUNITY = "所属社区"
SECTION_MODE = "检查方式"
SECTION_DEADLINE = "整改期限"
SECTION_NOTE = "问题描述"
CHANGE_DEADLINE = "修改期限"
DEADLINE_DEFAULT_HINT = "默认 {n} 天（办事处检查发现）"
PLACE_LABEL = "地点（街道、门牌、标志物）"
NOTE_LABEL = "备注（选填）"
RELOCATE = "重新定位"
LOCATION_OK = "已定位，精度约 {m} 米"
LOCATION_OK_UNKNOWN = "已定位（精度未知）"
LOCATION_POOR = "定位精度约 {m} 米，偏差较大：请到开阔处重新定位，或在下方写清地点"
LOCATION_NONE = "没有定位：将使用照片里的位置；照片也没有位置时，请在下方写清地点"
LOCATION_FROM_PHOTO = "没有定位：将使用照片里的位置（{pos}）"
SAVE_CASE = "保存登记"
SAVING = "正在保存…"
CASE_SAVED = "已登记：{category}，整改期限 {deadline}"
CASE_SAVED_SEEN_AGAIN = "已记入原案件：再次看到"
NEED_CATEGORY = "请先选择问题类别"
NEED_PHOTO = "请至少拍一张照片"
NEED_PLACE = "没有定位，照片里也没有位置：请填写地点"
FORM_KEPT = "填写的内容都还在，改好后再点保存即可。"
PHOTO_CHECKING = "正在处理照片…"
PHOTO_ADDED = "已添加照片"
REMOVE_PHOTO = "删除这张照片"
PHOTO_N = "照片 {n}"
NO_CAMERA = "本机没有可用的相机，请从相册选择照片"
CAMERA_TITLE = "拍照"
CAMERA_SHUTTER = "拍摄"
CAMERA_FAILED = "相机打开失败，请从相册选择照片"
# nearby cases before saving
NEARBY_TITLE = "附近已有同类问题"
NEARBY_HINT = "{n} 米内已登记过同一类问题。请对照照片判断："
NEARBY_OPEN = "待整改，距此约 {d} 米"
NEARBY_RECTIFIED = "已整改到位，距此约 {d} 米"
JUDGE_SEEN_AGAIN = "同一问题再次看到"
JUDGE_CAME_BACK = "整改后再次出现"
JUDGE_NEW = "新问题"
JUDGE_NEW_HINT = "都不是：登记为新问题"

# --- 满意度调查 ----------------------------------------------------------------------
SURVEY_HINT = "请居民选择对社区环境卫生的满意程度，可连续填写多份。"
SURVEY_ANSWER = "满意程度（必选）"
SURVEY_COMMENT = "意见建议（选填）"
SURVEY_SUBMIT = "提交问卷"
SURVEY_SAVED = "已保存第 {n} 份问卷"
SURVEY_TODAY = "今天已填写 {n} 份"
SURVEY_NEED_ANSWER = "请先选择满意程度"

# --- 同步 ----------------------------------------------------------------------------
SYNC_PENDING_TITLE = "本机待上传"
SYNC_NOT_READY = "同步功能即将开放。数据都保存在本机，不会丢失。"

# --- 我的 ----------------------------------------------------------------------------
ME_INSPECTOR = "巡查人员"
ME_NAME = "姓名"
ME_NAME_HINT = "如：张三"
ME_ID = "人员编号"
ME_COMMUNITIES = "负责社区"
ME_COMMUNITIES_HINT = "登记问题和问卷默认使用第一个负责社区。"
ME_DEVICE = "本机"
ME_DEVICE_ID = "设备编号"
ME_DATA_DIR = "数据文件夹"
ME_VERSION = "版本"
ME_SAVE = "保存设置"
ME_SAVED = "设置已保存"

# --- messages ------------------------------------------------------------------------
#: CommandError codes (fieldapp.domain.commands) -> what happened and what to do.
ERRORS = {
    "deadline_in_past": "整改期限不能早于今天，请重新选择期限。",
    "unknown_community": "社区不在本年度考核名单中，请重新选择社区。",
    "unknown_category": "问题类别不在本年度考核名单中，请重新选择类别。",
    "unknown_source": "案件来源无效，请联系城管科。",
    "no_location": "没有定位，照片里也没有位置：请填写地点后再保存。",
    "no_photo": "请至少拍一张照片后再保存。",
    "case_voided": "此案件已作废，不能再复查或作废。",
    "already_rectified": "此案件已整改到位，无需再复查。",
    "reason_required": "请填写原因后再保存。",
    "time_in_future": "手机时间不对（晚于现在），请校准手机时间后重试。",
    "before_found": "复查时间早于发现时间，请校准手机时间后重试。",
    "unknown_case": "找不到这个案件，请返回案件列表刷新。",
    "invalid": "填写的内容有误（可能过长），请检查后重试。",
    "unknown_answer": "请选择满意、基本满意或不满意。",
    "not_exemptible": "此类案件不能免于扣分。",
}
#: PhotoRejected codes (fieldapp.photos) -> what happened and what to do.
PHOTO_ERRORS = {
    "empty": "照片文件是空的，请重新拍照或选择其他照片。",
    "not_an_image": "所选文件不是照片，请重新拍照或选择 JPG、PNG、HEIC 照片。",
    "truncated": "照片文件不完整或已损坏，请重新拍照。",
    "too_many_pixels": "照片像素过大（超过5000万像素），请用手机相机正常拍照。",
    "decompression_bomb": "照片尺寸异常，无法处理，请重新拍照。",
    "unsupported": "不支持这种照片格式，请选择 JPG、PNG、HEIC 或 WebP 照片。",
}
ERROR_UNKNOWN = "操作没有完成：{detail}。数据仍在本页，请重试；多次失败请联系城管科。"
ERROR_STORAGE = "本机存储出错，没有保存：{detail}。请检查手机存储空间后重试。"
ERROR_PICKER = "没有取到照片，请重试。"
PARENS = "（{text}）"
SEPARATOR = "，"
