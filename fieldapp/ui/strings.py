"""Every user-facing zh-CN text of the phone app and the office tools, in the words of the 2022 plan.

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
ME_EMPTY = "本机尚未绑定"
ME_EMPTY_HINT = "请向城管科索取绑定码，把本机登记为巡查设备。"

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
OVERDUE_SINCE_YEAR = "{year}年度·逾期"  # a case overdue since an earlier year: its year, not 1675 days
# The phone has no rules for the current year (fieldapp/ui/yearnote.py): 登记问题, 我的案件.
YEAR_NO_RULES = ("本机还没有{year}年度的考核规则：整改期限暂按{fallback}年度的规则，"
                 "{year}年的案件在办事处定出规则后计分。同步时会收到新规则。")
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
PENDING_EVENTS = "待上传 {n} 项更新"
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
LIST_SEPARATOR = "、"  # between the items of a list: 第一社区、第二社区

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
STATUS_CLOSED = "已办结"
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
CASE_OF_YEAR = "{year}年度的案件（按该年度的规则计分）"
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

EV_REPORTED = "社区反馈：已整改"
EV_PHOTO_EXEMPTION = "添加申请免责的照片"
EV_EXEMPTION_REQUESTED = "社区申请免责：{reason}"
EV_EXEMPTION_REFUSED = "办事处不同意免责：{reason}"

# --- the community's phone: 待整改, 整改反馈, 申请免责 ------------------------------------------
TAB_TODO = "待整改"
TITLE_TODO = "本社区待整改"
TODO_EMPTY = "暂无待整改问题"
TODO_EMPTY_HINT = "办事处交办给本社区的问题会按整改期限排在这里；同步后自动更新。"
AWAITING_RECHECK = "待复查"
AWAITING_RECHECK_SINCE = "已反馈整改，待复查（{when}）"
RECHECK_FAILED_REASON = "复查未通过：{reason}"
RECHECK_FAILED_NO_REASON = "复查未通过"
SOURCE_LINE = "案件来源：{source}"
REPORT_DONE = "已整改"
REPORT_TITLE = "整改反馈"
REPORT_HINT = "拍一张整改后照片（至少一张），写明整改情况；巡查人员复查通过后即按反馈时间算整改完成。"
REPORT_NOTE = "整改情况（选填）"
REPORT_SAVE = "提交整改反馈"
REPORT_SAVED = "整改反馈已保存，同步后巡查人员会来复查"
REPORTED_BY = "{who} 于 {when} 反馈已整改"
REPORTS_COUNT = "已反馈 {n} 次"
EXEMPTION_ASK = "申请免责"
EXEMPTION_TITLE = "申请免责"
EXEMPTION_HINT = "确因特殊情况无法整改的，写明原因，可附照片；由办事处审核同意或不同意。"
EXEMPTION_REASON = "无法整改的原因"
EXEMPTION_SAVE = "提交申请"
EXEMPTION_SAVED = "免责申请已保存，同步后由办事处审核"
EXEMPTION_STATE = {
    "requested": "已申请免责，等待办事处审核",
    "granted": "办事处已同意免责：{reason}",
    "refused": "办事处不同意免责：{reason}",
}
PHOTO_EXEMPTION = "申请免责的照片（选填）"
PHOTO_EXEMPTION_OFFICE = "社区申请免责的照片"
COMPARE_BEFORE = "整改前"
COMPARE_AFTER = "社区反馈的整改后"
COMPARE_AFTER_ANY = "整改后"
NOTE_EXPAND = "展开全文"
NOTE_FOLD = "收起"
BANNER_TODO = "本社区有 {overdue} 件已逾期、{today} 件今日到期，点此查看"
BANNER_RECHECK = "有 {n} 件社区已反馈整改、等待您复查，点此查看"
RECHECK_FAIL_REASON = "未整改到位的原因（社区会看到）"

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
LOCATION_FROM_PHOTO = "没有定位：将使用照片里的位置（{pos}），精度约 {m} 米"
LOCATION_FROM_PHOTO_UNKNOWN = "没有定位：将使用照片里的位置（{pos}），精度未知"
LOCATION_FROM_PHOTO_POOR = ("没有定位：将使用照片里的位置（{pos}），精度约 {m} 米，偏差较大："
                            "请到开阔处重新定位，或在下方写清地点")
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
TEXT_CUT = "“{field}”最多 {n} 字，超出的部分没有填入。"
LEAVE_FORM_TITLE = "放弃未保存的内容？"
LEAVE_FORM_TEXT = "登记问题里已选择或填写的内容还没有保存，离开后不会保留。"
LEAVE_FORM_STAY = "继续填写"
LEAVE_FORM_GO = "放弃并离开"
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
SYNC_HINT = "在办事处连上无线网络后同步。记录只有办事处收到后才算上传完成，本机数据不会删除。"
SYNC_OFFICE = "办事处服务器"
SYNC_ADDRESS = "办事处地址"
SYNC_ADDRESS_HINT = "如 http://192.168.1.10:8765"
SYNC_ADDRESS_INVALID = "办事处地址不对：请填写办事处提供的地址，如 http://192.168.1.10:8765"
SYNC_ENROL_TITLE = "绑定本机"
SYNC_ENROL_HINT = "向办事处索取一次性绑定码（12 位字母和数字），填写后点“绑定本机”。"
SYNC_CODE = "绑定码"
SYNC_CODE_HINT = "如 K7QP-3MZX-8H2D"
SYNC_CODE_NEEDED = "请填写办事处给的绑定码"
SYNC_ENROL = "绑定本机"
SYNC_ENROLLING = "正在登记…"
SYNC_ENROLLED = "已登记：{inspector}（{communities}）"
SYNC_ENROLLED_OK = "登记成功：本机以后登记的记录都记在{inspector}名下。"
SYNC_REENROL = "重新绑定"
SYNC_NOT_ENROLLED = "本机尚未绑定"
SYNC_CONNECTING = "正在连接办事处…"
SYNC_PHASE_PHOTOS = "正在上传照片 {done}/{total} 张（{mb_done:.1f}/{mb_total:.1f} MB）"
SYNC_PHASE_PUSH = "正在上传记录 {done}/{total} 条"
SYNC_PHASE_PULL = "正在下载其他人员的记录（已下载 {n} 条）"
SYNC_PHASE_DOWNLOAD = "正在下载其他人员案件的照片 {done}/{total} 张"
SYNC_DONE_DETAIL = "上传 {pushed} 项更新、{photos} 张照片，下载 {pulled} 项更新"
SYNC_DONE_DOWNLOADED = "、{n} 张照片"  # appended to SYNC_DONE_DETAIL when photos were downloaded
SYNC_PARTIAL = "还有 {n} 项更新没有上传"
SYNC_THIS_RUN = "本次{detail}"
SYNC_NEVER = SYNC_EMPTY
SYNC_LAST_OK = "上次同步：{when}，同步完成"
SYNC_LAST_OK_DETAIL = "上次同步：{when}，{detail}"
SYNC_UP_TO_DATE = "已是最新：本机的更新都已上传，办事处也没有新的内容"
SYNC_UP_TO_DATE_EARLIER = "（{when} 的同步已{detail}）"
SYNC_LAST_STOPPED = "上次同步：{when}，没有完成。{why}"
SYNC_LAST_PARTIAL = "上次同步：{when}，还有 {n} 项更新没有上传"
SYNC_DONE = "同步完成：{detail}"
SYNC_LIST_SEPARATOR = LIST_SEPARATOR
SYNC_HELD = "{n} 项更新暂未上传：{why}"
SYNC_HELD_REJECTED = "{n} 项更新被办事处拒收（{why}）：请联系办事处。"
SYNC_RUNNING = "正在同步，请不要离开办事处无线网络…"
#: The automatic sync (fieldapp/ui/autosync.py): one line under 上次同步; {when} is like 10:42.
SYNC_AUTO_NEXT = "自动同步已开启，下次同步 {when}"
SYNC_AUTO_RUNNING = "正在自动同步…"
SYNC_AUTO_RETRY = "{why}，{when} 自动重试"
SYNC_AUTO_WHY = {
    "network": "连不上办事处",
    "server_unavailable": "办事处服务器暂时不可用",
    "not_our_server": "连上的不是办事处服务器（可能要先登录无线网络）",
}
SYNC_AUTO_WHY_OTHER = "上次同步没有完成"
SYNC_AUTO_STOPPED = "自动同步已暂停：重新绑定后恢复"
SYNC_AUTO_NOT_ENROLLED = "绑定本机后会自动同步"
SYNC_AUTO_OFF = "自动同步已关闭：请点“立即同步”"
#: Sync codes (sync/protocol.py: SERVER_ERRORS, CLIENT_ERRORS) -> what happened and what to do.
SYNC_MESSAGES = {
    "malformed_json": "办事处无法读取本机发送的数据：请把应用更新到最新版本。",
    "invalid_body": "办事处无法读取本机发送的数据：请把应用更新到最新版本。",
    "bad_query": "同步请求有误：请把应用更新到最新版本。",
    "bad_sha256": "照片编号有误，相关记录暂未上传：请联系技术支持。",
    "hash_mismatch": "照片没有完整上传：请稍后重新同步。",
    "too_large": "数据过大，办事处无法接收：请联系技术支持。",
    "too_many_events": "一次上传的记录过多：请把应用更新到最新版本。",
    "token_missing": "本机尚未绑定：请向办事处索取绑定码，在本页绑定本机。",
    "token_invalid": "本机的绑定已失效，请联系办事处重新绑定。",
    "token_revoked": "设备已被停用，请联系办事处重新绑定。",
    "enrol_code_invalid": "绑定码不对：请核对后重新输入（不分大小写，短横线可不填）。",
    "enrol_code_expired": "绑定码已过期：请向办事处索取新的绑定码。",
    "enrol_code_used": "绑定码已被使用过（每个只能用一次）：请向办事处索取新的绑定码。",
    "not_found": "办事处服务器不支持此功能：请检查地址，或把应用更新到最新版本。",
    "method_not_allowed": "办事处服务器不支持此操作：请把应用更新到最新版本。",
    "server_error": "办事处服务器出错：请稍后重试，多次失败请联系办事处。",
    "not_enrolled": "本机尚未绑定：请填写办事处地址和绑定码，点“绑定本机”。",
    "network": "连不上办事处服务器：请确认手机已连上办事处的无线网络、地址填写正确，然后重试。",
    "server_unavailable": "办事处服务器暂时不可用：请稍后重试。",
    "not_our_server": "连上的不是办事处服务器：可能要先在浏览器里登录无线网络，或办事处地址填错了。",
    "protocol_mismatch": "应用版本与办事处服务器不匹配：请把应用更新到最新版本。",
    "unauthorized": "办事处拒绝了本机的请求：请联系办事处。",
    "forbidden": "办事处拒绝了本机的请求：请联系办事处。",
    "photo_missing_local": "有照片文件在本机找不到，相关记录暂未上传：请联系技术支持。",
    "photo_corrupt_local": "有照片文件已损坏，相关记录暂未上传：请联系技术支持。",
    "photo_too_large": "有照片过大，办事处无法接收，相关记录暂未上传。",
    "event_too_large": "有记录过大，办事处无法接收：请联系技术支持。",
    "event_rejected": "有记录被办事处拒收：请联系办事处。",
    "event_conflict": "有记录与办事处的数据冲突（两份都已保留）：请联系办事处核对。",
    "event_missing_blob": "有照片还没传到办事处，相关记录下次同步时再传。",
    "pull_conflict": "下载的记录与本机数据冲突（两份都已保留）：请联系办事处。",
    "pull_invalid": "有下载的记录无法读取：请把应用更新到最新版本。",
    "photo_download_corrupt": "有照片下载时损坏，已丢弃：下次同步时会重新下载。",
    "photo_download_failed": "其他人员案件的照片没有全部下载：下次同步时会继续下载。",
    "rules_failed": "没有取到办事处的考核规则：下次同步时会再取。",
    "maps_failed": "没有取到办事处的地图或社区边界：下次同步时会再取。",
    "rules_invalid": "办事处的考核规则文件有错误，本机没有采用：请告知办事处检查规则文件。",
    "maps_failed": "离线地图没有更新（旧的仍可用）：下次同步时会再取。",
    "clock_skew": "手机时间与办事处相差较大：请校准手机时间。",
    "server_rolled_back": "办事处的数据已从备份恢复，本机记录正在重新上传。",
    "internal_error": "同步程序出错，数据仍保存在本机：请重试，多次失败请联系技术支持。",
}
#: Why the office refused an event (sync/protocol.py REJECTION_REASONS).
SYNC_REJECTIONS = {
    "invalid": "记录内容有误",
    "actor_mismatch": "记录上的巡查人员不是本机登记的人员",
    "role_not_allowed": "本机登记的身份不能提交这类记录",
    "community_not_allowed": "不是本机负责的社区",
    "unknown_case": "办事处没有这个案件",
    "case_closed": "案件已整改到位或已作废，不能再提交",
    "not_exemptible": "这类来源的案件不能申请免责",
}
SYNC_UNKNOWN = "同步没有完成（{code}）：请重试，多次失败请联系办事处。"

# --- 我的 ----------------------------------------------------------------------------
ME_INSPECTOR = "巡查人员"
ME_NAME = "姓名"
ME_NAME_HINT = "如：张三"
ME_ID = "人员编号"
ME_COMMUNITIES = "负责社区"
ME_COMMUNITIES_HINT = "登记问题和问卷默认使用第一个负责社区。"
ME_COMMUNITY_STAFF = "社区工作人员"
ME_COMMUNITIES_FIXED = "本机负责的社区由办事处绑定本机时确定，只显示这些社区的待整改问题。"
ME_DEVICE = "本机"
ME_ABOUT = "关于本机"
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
    "already_exempted": "办事处已同意此案件免责，无需再申请。",
    "no_request": "此案件没有待审核的免责申请。",
    "after_same_as_before": "整改后照片和整改前照片是同一张，不能作为整改证据：请到现场重新拍一张整改后照片。",
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
CLAUSE_SEPARATOR = "；"

# =====================================================================================
# Office dashboard (fieldapp/office/dashboard/, served by `fieldapp office serve` at /)
# Owned by the dashboard; other screens add their constants above this block.
# =====================================================================================
DASH_TITLE = "整脏治乱考核 · 办事处工作台"
DASH_SHORT = "考核工作台"
DASH_ROLE = {"admin": "管理员", "staff": "工作人员", "viewer": "只读"}
DASH_USER_LINE = "{name}（{role}）"
DASH_LOGOUT = "退出登录"
DASH_READ_ONLY = "只读账户：可以查看和导出，不能录入或修改。"
DASH_UPDATED = "数据更新于 {time}"
DASH_YEAR = "{year}年度"
# the current year has no rules at the office (shell.py, on every screen); 排名 switches years
DASH_NO_RULES_YEAR = ("还没有{year}年度的考核规则：{year}年登记的案件暂不计分、不排名。"
                      "请管理员按新一年的考核方案添加{year}年度的规则（见使用说明），再在“排名”中切换年度。")

# --- 登录 -------------------------------------------------------------------------------
DASH_LOGIN_TITLE = "工作人员登录"
DASH_LOGIN_HINT = "还没有账户或忘了密码：请找管理员。"
DASH_USERNAME = "用户名"
DASH_PASSWORD = "密码"
DASH_LOGIN = "登录"
DASH_LOGIN_FAILED = "用户名或密码不对，请重试。"
DASH_LOGIN_LOCKED = "密码错误次数过多，请一分钟后再试。"
DASH_LOGIN_NEEDED = "请填写用户名和密码。"
DASH_SESSION_OVER = "登录已过期或账户已停用，请重新登录。"

# --- 导航 -------------------------------------------------------------------------------
DASH_NAV_RANKING = "排名"
DASH_NAV_COMMUNITY = "社区详情"
DASH_NAV_CASES = "案件"
DASH_NAV_ENTRY = "录入"
DASH_NAV_FUND = "奖惩基金"

# --- 排名 -------------------------------------------------------------------------------
DASH_RANKING_TITLE = "社区考核排名"
DASH_LIVE = "实时排名"
DASH_LIVE_HINT = "假如今天年终：按 {day} 24 时的记录评分"
DASH_FINAL = "年终排名"
DASH_FINAL_HINT = "按 {day} 24 时评分"
DASH_FINAL_PENDING = "年度尚未结束：按现有记录推算，年底前到期仍未整改的案件按未整改计。"
DASH_EXPORT = "导出报表"
DASH_EXPORT_TEMPLATE = "下载模板"
DASH_EXPORTING = "正在生成报表…"
DASH_REPORT_FILE = "{kind}-{year}-{day}.xlsx"
DASH_REPORT_KIND = {"live": "实时排名报表", "final": "年终排名报表"}
DASH_COL_RANK = "名次"
DASH_COL_COMMUNITY = "社区"
DASH_COL_SUPERIOR = "上级考核"
DASH_COL_OFFICE = "本办考核"
DASH_COL_SATISFACTION = "群众满意度"
DASH_COL_COMPOSITE = "综合得分"
DASH_COL_DEDUCTIONS = "扣分"
DASH_COL_BONUSES = "加分"
DASH_COL_FINAL = "最终得分"
DASH_TIED = "并列"
DASH_MONTHS = "{n}个月"
DASH_TIMES = "{n}次"
DASH_PEOPLE = "{n}人"
DASH_NO_DATA = "无数据"
DASH_CHART_SCORES = "最终得分与三项得分"
DASH_CHART_MONTHLY = "上级考核月度得分"
DASH_MONTH = "{m}月"
DASH_NOTES = "说明"

# --- 社区详情 -------------------------------------------------------------------------------
DASH_COMMUNITY_TITLE = "社区详情"
DASH_SCORE_LINE = "第 {rank} 名{tied}，最终得分 {final}"
DASH_ITEMS = "扣分与加分明细"
DASH_ITEMS_EMPTY = "没有扣分或加分"
DASH_COL_KIND = "类别"
DASH_COL_POINTS = "分值"
DASH_COL_RULE = "规则"
DASH_COL_REASON = "说明"
DASH_COL_DATE = "日期"
DASH_COL_CASE = "案件"
DASH_DEDUCTION = "扣分"
DASH_BONUS = "加分"
DASH_OPEN_CASE = "查看案件"
DASH_OPEN_COMMUNITY = "查看详情"
DASH_RECURRENCE_REASON = "整改后同一问题再次出现"
DASH_NOTE_CASE = "案件“{label}”"  # a note's case on the screen (the report names it by a short id)
#: notes naming a case's source: by its name in the rules (fieldapp.domain.scoring N_* codes)
DASH_NOTE_TEXTS = {
    "unverified": "案件“{case}”（来源：{source}）尚未核查属实，不计分",
    "exemption_ignored": "案件“{case}”（来源：{source}）不适用免于加扣，已忽略",
}
DASH_RULE_SOURCE = "{source}：{part}"  # a line item's rule: its source by name, and base or further

# --- 案件 ---------------------------------------------------------------------------------
DASH_CASES_TITLE = "案件"
DASH_FILTER_COMMUNITY = "社区"
DASH_FILTER_STATUS = "状态"
DASH_STATUS_OPEN_ALL = "全部待办"
DASH_STATUS_ALL = "全部案件"
DASH_CASES_EMPTY = "没有符合条件的案件"
DASH_CASES_COUNT = "共 {n} 件"
DASH_CASES_MORE = "显示更多"
DASH_COL_STATUS = "状态"
DASH_COL_CATEGORY = "问题类别"
DASH_COL_SOURCE = "来源"
DASH_COL_PLACE = "地点与描述"
DASH_ITEMS_COUNT = "共 {n} 项，显示前 {shown} 项"
DASH_NOTES_MORE = "另有 {n} 条说明，见导出的报表"
DASH_COL_DEADLINE = "整改期限"
DASH_COL_BY = "登记人"
DASH_PROPOSALS = "待确认的再次出现"
DASH_PROPOSALS_EMPTY = "没有待确认的再次出现"
DASH_PROPOSAL_LINE = "{new} 疑似 {earlier} 整改后再次出现"
DASH_CONFIRM_RECURRENCE = "确认再次出现"
DASH_REJECT_RECURRENCE = "不是同一问题"
DASH_RECURRENCE_CONFIRMED = "已确认再次出现：{community}扣 {points} 分"
DASH_RECURRENCE_REJECTED = "已认定不是同一问题"
DASH_EXTERNAL = "外部案件（核实与免于扣分）"
DASH_EXTERNAL_EMPTY = "没有待处理的外部案件"
DASH_VERIFY = "核查属实"
DASH_VERIFIED = "已核查属实"
DASH_NOT_VERIFIED = "未核实"
DASH_EXEMPT = "免于扣分"
DASH_EXEMPTED = "已免于扣分"
DASH_EXEMPT_TITLE = "确因特殊情况无法整改"
DASH_EXEMPT_HINT = "免于未按期整改的加扣分（只适用于来源为{sources}的案件）。请写明理由，报表中会列出。"
DASH_EXEMPT_REASON = "免于扣分理由"
DASH_SAVED_VERIFY = "已记录：经核查属实"
DASH_SAVED_EXEMPT = "已记录：免于扣分"
DASH_CHANGE_DEADLINE = "调整整改期限"
DASH_DEADLINE_DATE = "新的整改期限（如 2022-06-10）"
DASH_DEADLINE_REASON = "调整原因"
DASH_DEADLINE_HINT = "新的期限不能早于今天。请写明原因，案件记录中会列出。"
DASH_DEADLINE_BAD_DATE = "日期无效：请按 2022-06-10 的格式填写新的整改期限。"
DASH_SAVED_DEADLINE = "整改期限已改为 {date}"
DASH_EARLIER_CASE = "前案"
DASH_NEW_CASE = "新案"
DASH_CASE_TITLE = "案件详情"
DASH_CASE_SOURCE = "来源：{source}"
DASH_CASE_NOTE = "描述"
DASH_CASE_PHOTOS_BEFORE = "整改前照片"
DASH_CASE_PHOTOS_AFTER = "整改后照片"
DASH_CASE_NO_PHOTOS = "没有照片"
DASH_CASE_PHOTO_MISSING = "照片尚未同步到办事处"
DASH_CASE_ID = "案件编号 {id}"
DASH_CASE_EXEMPT_REASON = "免于扣分理由：{reason}"
DASH_CASE_RECURRENCE = "再次出现（{state}）：前案 {earlier}"
DASH_RECURRENCE_STATES = {"proposed": "待确认", "confirmed": "已确认", "rejected": "已否定"}

# --- 录入 ---------------------------------------------------------------------------------
DASH_ENTRY_TITLE = "录入"
DASH_ENTRY_SUPERIOR = "上级考核月度得分"
DASH_ENTRY_SUPERIOR_HINT = "每格一个月的分数（0–100），没有的月份留空。改过的格子保存后生效，以最后一次为准。"
DASH_ENTRY_CELL = "{community} {month}月"
DASH_ENTRY_OFFICE = "本办考核"
DASH_ENTRY_BONUS = "加分"
DASH_ENTRY_SURVEY = "满意度调查（纸质问卷汇总）"
DASH_ENTRY_CASE = "外部案件（上级批示转办、媒体曝光、群众反映、区整治办发现等）"
DASH_ENTRY_FUND = "奖惩基金名单"
DASH_ENTRY_FUND_HINT = "每个角色填写姓名，用顿号或逗号分开；保存后替换原名单。"
DASH_ENTRY_ROLE = "{role}（{deposit} 元/人）"
DASH_ENTRY_IMPORT = "导入文件"
DASH_ENTRY_IMPORT_HINT = ("上级考核或满意度模板（.xlsx）：先全部检查，有一处错误就不导入任何记录。"
                          "手机导出的数据文件（.zip）：与联网同步一样导入，重复导入不会重复记录。")
DASH_CHOOSE_FILE = "选择文件并导入"
DASH_IMPORTING = "正在检查并导入…"
DASH_IMPORT_ERRORS = "{file}：{n} 处错误，未导入任何记录"
DASH_IMPORT_OK = "{file}：已导入 {what}"
DASH_IMPORT_ALREADY = "（其中 {n} 项以前已导入过，没有重复记分）"
#: what an import brought, by kind ("4 个上级考核月度得分、2 次满意度调查汇总")
DASH_IMPORT_WHAT = {"score.superior": "{n} 个上级考核月度得分", "survey.tallied": "{n} 次满意度调查汇总",
                    "score.office": "{n} 次本办考核", "bonus.awarded": "{n} 项加分", "case.registered": "{n} 个外部案件"}
DASH_IMPORT_OTHER = "{n} 项案件处理记录"
DASH_IMPORT_WHERE = "位置"
DASH_IMPORT_WHY = "原因"
DASH_FIELD_COMMUNITY = "社区"
DASH_FIELD_DATE = "日期（如 2022-06-01）"
DASH_FIELD_SCORE = "得分（0–100）"
DASH_FIELD_CODE = "加分项"
DASH_FIELD_DESCRIPTION = "事由"
DASH_FIELD_NOTE = "备注（选填）"
DASH_FIELD_CASE_REF = "案件编号（如 2022-A-003）"
DASH_FIELD_CATEGORY = "问题类别"
DASH_FIELD_SOURCE = "来源"
DASH_FIELD_FOUND = "发现日期（如 2022-06-01）"
DASH_FIELD_DEADLINE = "整改期限（选填，默认按来源）"
DASH_FIELD_PLACE = "地点"
DASH_FIELD_CASE_NOTE = "问题描述"
DASH_FIELD_VERIFIED = "已核查属实"
DASH_SAVE = "保存"
DASH_SAVE_SCORES = "保存得分"
DASH_SAVED_WHAT = "已保存：{what}"
DASH_SAVED_MONTH_SCORES = "已保存 {n} 个月度得分"
DASH_ENTRY_READ_ONLY = "只读账户：这里只能查看，不能录入或修改。"
DASH_SAVED_NONE = "没有改动"
DASH_ALREADY = "这一项以前已录入过，没有重复记分"
DASH_CONFLICT = "这个案件编号已录入过，内容不同：没有保存"
DASH_REFUSED_READ_ONLY = "只读账户不能录入或修改：没有保存。"
DASH_REFUSED_SESSION = "登录已过期或账户已停用：没有保存，请重新登录。"
DASH_ERROR = "没有保存：{detail}"

# --- 奖惩基金 -------------------------------------------------------------------------------
DASH_FUND_TITLE = "奖惩基金"
DASH_FUND_NONE = "尚未录入奖惩基金名单：请在“录入”中填写。"
DASH_FUND_COL_ROLE = "角色"
DASH_FUND_COL_DEPOSIT = "每人（元）"
DASH_FUND_COL_PEOPLE = "人数"
DASH_FUND_COL_AMOUNT = "金额（元）"
DASH_FUND_COL_NAMES = "姓名"
DASH_FUND_DEPOSITS = "责任金合计"
DASH_FUND_MATCH = "办事处匹配（1:{ratio}）"
DASH_FUND_TOTAL = "基金总额"
DASH_FUND_YUAN = "{n} 元"
DASH_FUND_RANKING = "兑现所依据的排名"
DASH_FUND_RANKING_HINT = "这里列出基金总额和兑现所依据的年终排名；具体怎样奖惩，按办事处的奖惩办法执行。"

# --- 督办 (fieldapp/office/dashboard/supervision.py) --------------------------------------------
DASH_NAV_SUPERVISION = "督办"
DASH_SUP_TITLE = "督办"
DASH_SUP_HINT = "逾期和{days}天内到期的案件，等待复查超过{recheck_days}天的整改反馈，待答复的免责申请。每行的“查看案件”打开案件。"
DASH_SUP_EXEMPTIONS = "免责申请（待答复）"
DASH_SUP_EXEMPTIONS_EMPTY = "没有待答复的免责申请"
DASH_SUP_REQUEST = "申请理由：{reason}"
DASH_SUP_REQUEST_BY = "{who} {time} 申请"
DASH_SUP_ANSWER = "答复理由"
DASH_SUP_ANSWER_HINT = "同意：按免于扣分记录，理由不填时用社区的申请理由。不同意：请写明理由，社区会看到。"
DASH_SUP_GRANT = "同意免责"
DASH_SUP_REFUSE = "不同意"
DASH_SUP_GRANTED = "已同意免责：{case}"
DASH_SUP_REFUSED = "已答复不同意免责：{case}"
DASH_SUP_RECHECKS = "超时未复查的整改反馈（等待超过{days}天）"
DASH_SUP_RECHECKS_EMPTY = "没有等待复查超过{days}天的整改反馈"
DASH_SUP_INSPECTOR = "{name}：{n} 件待复查"
DASH_SUP_WAITING = "{date}反馈整改，已等待 {days} 天"
DASH_SUP_COMMUNITIES = "各社区逾期和即将到期的案件"
DASH_SUP_COMMUNITY_LINE = "逾期 {overdue} 件，{days}天内到期 {due} 件"
DASH_SUP_COMMUNITY_EMPTY = "没有逾期或{days}天内到期的案件"
DASH_SUP_MORE = "另有 {n} 件未列出，见督办通知单"
DASH_SUP_NOTICE_PDF = "督办通知单 PDF"
DASH_SUP_NOTICE_XLSX = "督办通知单 Excel"
DASH_SUP_OFFICE_ACTOR = "办事处 {name}"
DASH_COL_PROGRESS = "复查与反馈"

# --- the office's PDFs (fieldapp/office/pdf.py) and the 督办通知单 (fieldapp/office/notice*.py) -----
PDF_CREATOR = DASH_TITLE
PDF_DATE_LINE = "日期：{date}"
PDF_PAGE = "第 {page} 页，共 {pages} 页"
NOTICE_TITLE = "督办通知单"
NOTICE_TO = "致：{community}"
NOTICE_INTRO = ("经查，贵社区下列问题已逾期或将在{days}天内到期。请抓紧整改到位，整改后在手机上报告“已整改”并附整改后照片；"
                "确因特殊情况无法整改的，请申请免责并写明理由。期限过后仍未整改到位的，按考核方案加扣分。")
NOTICE_SUMMARY = "逾期 {overdue} 件，{days}天内到期 {due} 件。"
NOTICE_NOTHING = "目前没有逾期或{days}天内到期的案件。"
NOTICE_HEAD = ("序号", "整改前照片", "问题类别", "地点与描述", "整改期限", "时限", "复查与反馈")
NOTICE_XLSX_HEAD = ("序号", "问题类别", "来源", "地点", "问题描述", "整改期限", "时限", "复查与反馈", "整改前照片")
NOTICE_SOURCE = "来源：{source}"
NOTICE_NO_PHOTO = "照片尚未同步到办事处"
NOTICE_PHOTO_NONE = "无照片"
NOTICE_REPORTED = "社区已于{date}反馈整改，待复查"
NOTICE_CHECK_FAILED = "复查未通过：{reason}"
NOTICE_CHECK_FAILED_PLAIN = "复查未通过"
NOTICE_EXEMPTION_REQUESTED = "已申请免责，待办事处答复"
NOTICE_EXEMPTION_REFUSED = "免责申请未获同意"
NOTICE_NO_PROGRESS = "—"
NOTICE_CLOSING = "请在整改期限内整改到位。特此通知。"
NOTICE_FILE = "督办通知单-{community}-{day}.{ext}"
CLI_NOTICE_WRITTEN = "{community}督办通知单已写入 {path}：{summary}"
CLI_NOTICE_NO_COMMUNITY = "没有社区 {code}：本年度的社区是 {codes}"
CLI_NOTICE_BAD_FORMAT = "不支持的格式 {suffix}：请用 pdf 或 xlsx"

# --- the report workbook and table (fieldapp/office/report.py): fixed words and headers ---------
REPORT_SHEET_RANKING = "排名"
REPORT_SHEET_FUND = "奖惩基金"
REPORT_SHEET_NOTES = "说明"
REPORT_TABLE_HEAD = ("名次", "社区", "上级考核", "本办考核", "群众满意度", "综合得分", "扣分", "加分", "最终得分")
REPORT_RANKING_HEAD = ("名次", "社区", "上级考核", "月数", "本办考核", "次数", "群众满意度", "受访人数",
                       "综合得分", "扣分", "加分", "最终得分", "并列")
REPORT_SUMMARY_HEAD = ("项目", "得分", "依据", "权重")
REPORT_ITEMS_HEAD = ("类别", "分值", "规则", "说明", "日期", "整改期限", "案件/事件", "地点/内容", "完整 ID", "证据存疑")
REPORT_NOTES_HEAD = ("说明",)
REPORT_FUND_HEAD = ("角色", "每人（元）", "人数", "金额（元）", "姓名")
REPORT_READINGS_HEAD = ("本报告所依据的规则解读",)
REPORT_OTHER_NOTES_HEAD = ("其他说明",)
#: a deduction's part (rule "A.base" / "A.further")
REPORT_SOURCE_WORDS = {"base": "基础扣分", "further": "逾期或整改不到位加扣"}
#: why a line item applies (fieldapp.domain.scoring R_*)
REPORT_REASON_WORDS = {
    "verified": "经核查属实",
    "registered": "登记即计",
    "not_rectified": "期限已过，未整改到位",
    "rectified_late": "逾期整改",
    "recurrence": "同一问题再次出现",
    "awarded": "加分",
}
REPORT_COMPONENT_WORDS = {"superior": "上级考核", "office": "本办考核", "satisfaction": "群众满意度"}
REPORT_TIED_YES = "是"  # the 并列 column of a tied community
REPORT_SUBTITLE = "{year} 年度社区考核排名，评分日 {day}（北京时间，截至当日 24 时）"
REPORT_CASE_REF = "案件 {id}"
REPORT_CASE_REF_LABELLED = "{ref}（{label}）"
REPORT_EVENT_REF = "事件 {id}"

# --- the report: sentences with values (fieldapp/office/report.py) -------------------------------
#: a line item's rule: "A类 基础扣分"
REPORT_RULE = "{source}类 {part}"
#: a line item's reason, where the plain REPORT_REASON_WORDS are not enough
REPORT_RECTIFIED_LATE = "期限 {deadline}，{day} 才整改到位"
REPORT_NOT_RECTIFIED = "期限 {deadline} 已过，未整改到位"
REPORT_RECURRENCE_OF = "同一问题再次出现，前案 {earlier}"
#: Notes (fieldapp.domain.scoring N_* codes) -> text. Fields: {case} (REPORT_CASE_REF or ""), {detail};
#: {component} (REPORT_COMPONENT_WORDS of it), {months} (a list), {month}/{times} and {community}/{n}
#: (the two sides of "2022-03×2", "C9×3"), {earlier} (short id), {links} (how many ids),
#: {rank}/{names} (of "2: C2,C3").
REPORT_NOTE_TEXTS = {
    "no_data": "{component}没有数据，按 0 分计",
    "months_missing": "上级考核缺少月份：{months}（按已有月份平均）",
    "month_reentered": "上级考核 {month} 录入了 {times} 次，以最后一次为准",
    "after_evaluation": "{detail} 条记录日期在评分日之后，未计入",
    "pending": "{case}：整改期限 {detail} 未到，暂不加扣",
    "awaiting_recheck": "{case}：社区已于 {reported} 反馈整改，待复查（已等待 {age} 天），暂不加扣",
    "exempted": "{case}：确因特殊情况无法整改，免于加扣（理由：{detail}）",
    "exemption_ignored": "{case}：{detail} 类案件不适用免于加扣，已忽略",
    "unverified": "{case}：{detail} 类案件尚未核实，不计分",
    "voided": "{case}：已作废，不计分（理由：{detail}）",
    "recurrence_of_voided": "{case}：所认定的前案 {earlier} 已作废，不按再次出现扣分",
    "recurrence_links": "{case}：同时被认定为 {links} 个旧案的再次出现，只扣一次",
    "unknown_source": "{case}：未知案件类别 {detail}，不计分",
    "unknown_community": "有记录属于规则中没有的社区 {community}（{n} 条），未计入",
    "orphan_events": "{detail} 个案件只有后续记录、缺少登记记录（可能尚未同步），未计入",
    "tie": "得分相同、名次并列：第 {rank} 名 {names}",
    "no_fund_roster": "尚未录入奖惩基金名单",
    "unknown_fund_role": "奖惩基金名单中有规则中没有的角色 {detail}，未计入",
    "evidence": "{case}：证据存疑（{marks}），请核实",
}
#: per-case notes counted in the text table: "{kind}的案件 {n} 件"
REPORT_NOTE_KINDS = {
    "pending": "期限未到、暂不加扣",
    "awaiting_recheck": "已反馈整改、待复查",
    "unverified": "尚未核实、不计分",
    "exempted": "免于加扣",
    "voided": "已作废",
    "exemption_ignored": "免于加扣不适用、已忽略",
    "recurrence_of_voided": "前案已作废、不按再次出现扣分",
    "recurrence_links": "多个前案、只扣一次",
    "unknown_source": "未知案件类别",
    "evidence": "证据存疑",
}
REPORT_CASES_OF_KIND = "{kind}的案件 {n} 件"
# the text table (`fieldapp office score`)
REPORT_TABLE_ITEMS = "{name}: 扣分 {deductions} 项 {deduction_total}，加分 {bonuses} 项 {bonus_total}"
REPORT_TABLE_FUND = "奖惩基金：责任金 {deposits} 元 + 办事处匹配 {match} 元 = {total} 元"
REPORT_TABLE_MORE = "明细：--xlsx 导出报表（每个社区一张表），或 --json。"
# a community's sheet: its title line, then rows of REPORT_SUMMARY_HEAD (项目, 得分, 依据, 权重)
REPORT_COMMUNITY_LINE = "{name}({code}) 第 {rank} 名{tied}  最终得分 {final}"
REPORT_TIED_MARK = "（并列）"
REPORT_SUPERIOR_BASIS = "{n} 个月的平均分"
REPORT_SUPERIOR_MISSING = "；缺 {months}"
REPORT_OFFICE_BASIS = "{n} 次考核的平均分"
REPORT_SATISFACTION_BASIS = "{n} 人受访，{satisfied} 人满意或基本满意"
REPORT_COMPOSITE_BASIS = "上级×40% + 本办×20% + 满意度×40%"
REPORT_DEDUCTION_TOTAL = "扣分合计"
REPORT_BONUS_TOTAL = "加分合计"
REPORT_ITEMS_BASIS = "{n} 项，见下表"
REPORT_FINAL_BASIS = "综合得分 + 扣分合计 + 加分合计"
# the fund sheet (its other rows: DASH_FUND_DEPOSITS, DASH_FUND_TOTAL)
REPORT_FUND_MATCH = "办事处匹配（1:{ratio}）"
# the notes sheet
REPORT_GENERATED = "生成时间 {now}；评分时刻 {at}"
#: The readings the scores rest on (assessment-rules.md, docs/scoring.md): shown in every report.
REPORT_READINGS = (
    "综合得分 = 上级考核×40% + 本办考核×20% + 群众满意度×40%；最终得分 = 综合得分 - 扣分 + 加分，不设上限和下限。",
    "上级考核取有分数的月份的平均分，本办考核取各次考核的平均分；缺少的月份在报告中列出。",
    "群众满意度 = 答“满意”或“基本满意”的人数 ÷ 受访总人数 × 100（手机问卷与纸质汇总合计）。",
    "某一项没有任何数据时按 0 分计入综合得分，并在说明中标出（方案对此没有规定）。",
    "A、B、E 类案件经核查属实后才扣分，未核实的不计分并列出；C、D 类登记即计。",
    "整改期限以当地时间（北京时间）期限当天 24 时为止：期限前有一次复查“整改到位”即为按期整改，"
    "之前的“未整改到位”不影响；期限过后仍无“整改到位”的，加扣一次（不按天累计）。",
    "案件计入其登记（发现）时间所在的年度；期限在评分日之后的案件暂不加扣，列为“期限未到”。",
    "A、B 类案件确因特殊情况无法整改、经办事处标记免于加扣的，只扣基础分，并列出理由。",
    "作废的案件不计分。经办事处确认的“同一问题再次出现”每次扣 2 分，另按该案件本身的类别计分；"
    "一个案件同时被认定为多个旧案的再次出现时，只算一次；旧案已作废的不扣。",
    "加分按事件计：中央媒体/全国表彰 +5，省级 +3，市级 +1；省领导/省整治办表扬 +3，市级 +2，区级 +1。",
    "最终得分保留两位小数（四舍五入）后排名；得分相同者名次相同（如 1、2、2、4）。",
    "评分日之后日期的记录（月份、考核、问卷、加分）不计入，并在说明中注明条数。",
)

# =====================================================================================
# Office records: import files and the dashboard's forms (fieldapp/office/records.py,
# fieldapp/office/imports.py) and the office command line (fieldapp/commands/office_records.py).
# They name a field by its label (the dashboard's form label, the template's header), never by
# the file's key: the keys are in docs/import-format.md beside these labels.
# =====================================================================================

# --- office records: import/entry errors (records.py) --------------------------------------------
#: the record fields' labels ({field} in the messages below); RECORD_FIELDS_OF: where a kind says it otherwise
RECORD_FIELDS = {
    "record": "记录类型", "community": "社区", "month": "月份", "score": "得分", "date": "日期",
    "code": "加分项", "description": "事由", "note": "备注", "case": "案件编号", "case_id": "案件 ID",
    "category": "问题类别", "source": "来源", "place": "地点", "position": "位置", "found": "发现日期",
    "deadline": "整改期限", "verified": "已核查属实", "verified_note": "核查说明", "exempted": "免于扣分理由",
    "rechecks": "复查记录", "voided": "作废理由", "reason": "理由", "at": "时间", "outcome": "复查结果",
    "earlier": "前案编号", "earlier_case_id": "前案 ID", "decision": "认定", "counts": "各答案人数",
    "year": "年度", "roster": "奖惩基金名单",
}  # fmt: skip
RECORD_FIELDS_OF = {"external_case": {"description": "问题描述"}}
RECORD_COUNT_FIELD = "{answer}人数"  # a survey answer's count ("满意人数")
RECORD_ROLE_FIELD = "{role}名单"  # a fund role's names
RECORD_SEPARATOR = "；"  # between the faults of one record
RECORD_VALUE_EMPTY = "空的"  # what was given, when nothing was
RECORD_VALUE = "“{value}”"  # what was given
# Each error begins with the field's label ("得分：…"); {value} is what was given, quoted.
RECORD_REQUIRED = "{field}：不能为空"
RECORD_NOT_TEXT = "{field}：应为文字，却是{value}"
RECORD_TOO_LONG = "{field}：超过 {limit} 个字"
RECORD_NOT_NUMBER = "{field}：应为数字，却是{value}"
RECORD_OUT_OF_RANGE = "{field}：{value:g} 不在 {low:g}–{high:g} 之间"
RECORD_NOT_COUNT = "{field}：应为不小于 0 的整数，却是{value}"
RECORD_NOT_DATE = "{field}：应为日期（如 2022-06-01），却是{value}"
RECORD_NOT_TIME = "{field}：应为日期或时间（如 2022-06-10 或 2022-06-10 15:30），却是{value}"
RECORD_NOT_MONTH = "{field}：应为月份（如 2022-06），却是{value}"
RECORD_NOT_FLAG = "{field}：应为 true（是）或 false（否），却是{value}"
RECORD_NOT_ONE_OF = "{field}：应为 {choices} 之一，却是{value}"
RECORD_NOT_OBJECT = "这一行不是一条记录：应为一个 JSON 对象（{{…}}）"
RECORD_UNKNOWN_KIND = "{field}：未知的记录类型{value}，应为 {kinds} 之一"
RECORD_UNKNOWN_FIELD = "多余的一项{value}：这种记录（{record}）没有这一项（可用：{fields}）"
RECORD_UNKNOWN_COMMUNITY = "{field}：没有这个社区{value}，应为 {known}"
RECORD_UNKNOWN_CATEGORY = "{field}：没有这个问题类别{value}，应为规则中的类别名称或代码（如 Z1、L3）"
RECORD_UNKNOWN_SOURCE = "{field}：没有这个来源{value}，应为 {choices}"
RECORD_UNKNOWN_BONUS = "{field}：没有这个加分项{value}，应为 {choices}"
#: a source or bonus among the choices: its code (what a file says) and its name from the rules
RECORD_CHOICE = "{code}（{name}）"
# cases: named by the office's reference ("case": "2022-A-003") or by an id
RECORD_REF_AND_ID = "{field}：案件编号和案件 ID 只能填一个"
RECORD_NOT_CASE_REF = "{field}：应为案件编号（文字），却是{value}"
RECORD_NOT_UUID = "{field}：应为案件 ID（小写的 UUID），却是{value}"
RECORD_NO_CASE = "{field}：需要案件编号（或案件 ID）"
RECORD_CASE_UNKNOWN = "{field}：找不到案件{value}（既不在本次导入中，也不在办事处的数据中）"
RECORD_FOUND_IN_FUTURE = "{field}：{day}在将来"
RECORD_DEADLINE_BEFORE_FOUND = "{field}：{deadline}早于发现日期{found}"
RECORD_VERIFIED_NOTE_ALONE = "{field}：只有已核查属实时才能填写"
RECORD_NOT_POSITION = '{field}：应为纬度和经度，如 {{"lat": 34.26, "lon": 108.95}}'
RECORD_NOT_EXEMPTIBLE = "{field}：来源为“{source}”的案件不能免于加扣（只有{exemptible}的可以）"
RECORD_SELF_RECURRENCE = "{field}：一个案件不能是它自己的再次出现"
RECORD_EVENT_INVALID = "这条记录的内容不合规则，没有保存：请检查各项。"
#: an external case's description as stored, with the office's reference
RECORD_CASE_NOTE = "{description}(案件编号 {ref})"
# re-checks
RECORD_RECHECKS_NOT_LIST = "{field}：应为复查记录的列表"
RECORD_IN_RECHECK = "第{n}条复查记录的{message}"  # a fault of one re-check of an external case
RECORD_RECHECK_NOT_OBJECT = '第{n}条复查记录：应为 {{"at": …, "outcome": …}}'
RECORD_RECHECK_UNKNOWN_FIELD = "第{n}条复查记录：没有{value}这一项（可用：at, outcome, note）"
RECORD_TIME_BEFORE_FOUND = "{what}时间：{day}早于发现日期{found}"
RECORD_TIME_IN_FUTURE = "{what}时间：{day}在将来"
RECORD_WHAT_RECHECK = "复查"
RECORD_WHAT_REPORT = "整改反馈"
RECORD_NOT_OUTCOME = "{field}：应为 {words}（或 {outcomes}），却是{value}"
# survey tallies and the fund roster
RECORD_COUNTS_NOT_MAP = '{field}：应为各答案的人数，如 {{"满意": 120, "基本满意": 30, "不满意": 10}}，却是{value}'
RECORD_UNKNOWN_ANSWER = "{field}：没有这个答案{value}，应为 {answers}"
RECORD_NO_RESPONDENTS = "{field}：没有填写人数"
RECORD_NOT_YEAR = "{field}：应为年度，如 {year}，却是{value}"
RECORD_NOT_ROSTER = '{field}：应为各角色的姓名，如 {{"办事处书记": ["王某"]}}'
RECORD_UNKNOWN_ROLE = "{field}：没有这个角色{value}，应为 {known}"
RECORD_NOT_NAMES = "{field}：应为姓名（用顿号或逗号分开）"

# --- office records: reading files, all or nothing (imports.py) ----------------------------------
IMPORT_LINE = "第{n}行"  # where a JSON line or a spreadsheet row is
IMPORT_CELL = "第{row}行{column}列"  # where a spreadsheet cell is (C4)
IMPORT_SHEET_ROW = "“{sheet}”表第{row}行"  # a sheet's header row
IMPORT_FILE = "文件"  # where a problem of the whole file is
IMPORT_NOT_UTF8 = "不是 UTF-8 编码的文本：{detail}"
IMPORT_NOT_JSON = "不是有效的 JSON：第 {column} 个字符处有误"
IMPORT_NOT_XLSX = "无法作为 .xlsx 打开：{detail}"
IMPORT_BAD_TYPE = "不支持的文件类型 {suffix}：应为 .jsonl 或 .xlsx"
IMPORT_NO_SUFFIX = "（无扩展名）"
IMPORT_UNKNOWN_HEADER = "不认识的表头：应为上级考核（1月…12月）或满意度（满意、基本满意、不满意）"
IMPORT_NO_HEADER = "没有找到以“{first}”开头的表头行：请用“下载模板”得到的表格填写"
IMPORT_NO_YEAR = "缺少年度（在“{label}”右边的格子填写，如 {year}）"
IMPORT_BAD_YEAR = "年度应为四位数年份，却是 {value!r}"
IMPORT_NO_COMMUNITY = "缺少社区"
IMPORT_NO_DATE_COLUMN = "表头缺少“{label}”列"
IMPORT_NO_SURVEY_DATE = "缺少调查日期"
IMPORT_DUPLICATE_CASE = "案件编号：与{where}的案件编号重复"
IMPORT_DUPLICATE_RECORD = "与{where}的记录完全相同；如确是两次，请在备注/说明中区分"
IMPORT_CASE_CHANGED = "案件编号：这个案件已导入过，内容不同；已导入的内容不会被改写，请用调整整改期限、作废等记录更正"
IMPORT_CONFLICT = "与同时写入的记录冲突"
# the summary (`fieldapp office import`)
IMPORT_SUMMARY_FAILED = "{file}: {n} 处错误，未导入任何记录："
IMPORT_SUMMARY = "{file}: {done} {records} 条记录，新增事件 {new} 个，已存在 {already} 个"
IMPORT_DONE = "已导入"
IMPORT_CHECKED = "检查通过（未导入）"
# the templates (`fieldapp office template`); their month headers are DASH_MONTH, the instructions
# sheet is REPORT_SHEET_NOTES, the superior sheet DASH_COL_SUPERIOR
IMPORT_TEMPLATE_SUPERIOR = "上级考核-{year}.xlsx"
IMPORT_TEMPLATE_TALLY = "满意度调查-{year}.xlsx"
IMPORT_SHEET_TALLY = "满意度"
IMPORT_HEAD_YEAR = "年度"
IMPORT_HOW = "填好后，在考核工作台“录入”中点“导入文件”，选择本文件。"
IMPORT_SUPERIOR_HELP = (
    "上级考核月度得分（{year} 年）：每个社区每月一个分数（0–100），没有的月份留空。",
    "社区一栏可填社区名称或代码（如 C1）。重复导入同一文件不会重复记分；某月改分后再导入，以后导入的为准。",
    IMPORT_HOW,
)
IMPORT_TALLY_HELP = (
    "纸质问卷汇总：每次汇总一行，填社区、调查日期（如 2022-11-20）和各答案的人数。",
    "计为满意的答案：{satisfied}。",
    "同一社区可有多行（多次调查），人数累加。没有填人数的行会被跳过。",
    IMPORT_HOW,
)

# --- the office command line (fieldapp/commands/office_records.py) ---------------------------------
CLI_NO_RULES = "没有 {year} 年度的考核规则：{detail}"
CLI_NO_FILE = "{file}: 文件不存在"
CLI_REPORT_WRITTEN = "报表已写入 {path}"
CLI_RULES_NEW_WRITTEN = "已按 {source} 年度的规则写出 {year} 年度的规则：{path}\n请修改其中与新方案不同之处，再用 fieldapp office rules check 检查；手机下次同步时收到。"
CLI_RULES_NEW_REFUSED = "没有写出 {year} 年度的规则：{detail}"
CLI_RULES_NEW_EXISTS = "{year} 年度的规则已经有了：{path}。要重新复制，请先删除它；否则直接修改它。"
CLI_RULES_BROKEN = "规则文件有错误，未采用：{detail}"
CLI_RULES_OK = "{file}：{year} 年度规则无误（{title}；{communities} 个社区，{categories} 个问题类别）"
CLI_RULES_OWN = "办事处"
CLI_RULES_SHIPPED = "程序自带"

# --- maps: boundaries, tiles, the map views (fieldapp/maps/, docs/maps.md) ------------------------
CLI_BOUNDARIES_REFUSED = "边界文件未导入：{detail}"
CLI_BOUNDARIES_KEPT = "已导入 {n} 个社区的边界（{names}）：{path}\n手机下次同步时收到。"
CLI_TILES_REFUSED = "地图未设置：{detail}"
CLI_TILES_KEPT = "办事处地图：{n} 张 {fmt} 瓦片，{mb:.1f} MB，缩放 {zmin}–{zmax} 级：{path}"
CLI_TILES_NONE = "办事处还没有离线地图（fieldapp office tiles import FILE）：地图只显示案件和社区边界。"
CLI_TILES_ONLINE = "在线地图：{url}（{attribution}；坐标系 {datum}）"
CLI_TILES_ONLINE_OFF = "已取消在线地图。"
VIEW_LIST = "列表"
VIEW_MAP = "地图"
MAP_ME = "我的位置"
MAP_PLAIN = "无底图：只显示案件和社区边界"
MAP_UNPLACED = "{n} 个案件没有定位，不在地图上"
MAP_SHOWN = "地图上 {n} 个案件"
MAP_MARKER = "{category}·{community}·{status}"
MAP_CLUSTER = "{n} 个案件，点击放大"
MAP_ZOOM_IN = "放大"
MAP_ZOOM_OUT = "缩小"
MAP_LOCATE = "定位到我"
MAP_PIN_HINT = "定位不准时，点地图上问题所在处移动标记"
MAP_PIN_MOVED = "已在地图上调整位置，距 GPS 定位 {m}（两个位置都会保存）"
MAP_PIN_RESET = "用 GPS 位置"
MAP_IN_COMMUNITY = "定位在{name}范围内"
MAP_PROPOSED = "定位在{name}范围内，已选{name}"
MAP_NOT_IN_CHOSEN = "注意：定位不在{chosen}范围内，而在{other}范围内"
MAP_NOT_IN_ANY = "注意：定位不在任何社区的边界内"
MAP_DISTANCE = "距我 {d}"
MAP_NAVIGATE = "导航前往"
MAP_PLACED_NOTE = "位置由登记人在地图上调整；GPS 定位 {fix}，相距 {m}"
SYNC_MAP_TITLE = "离线地图"
SYNC_MAP_LINE = "{title}：{text}"
SYNC_MAP_HELD = "已下载本机社区的地图：缩放至 {z} 级，{mb:.1f} MB"
SYNC_MAP_NONE = "尚未下载：办事处有地图时，同步时自动下载本机社区的部分"
OUTSIDE_BOUNDARIES = "不在任何社区边界内"
DASH_NAV_MAP = "地图"
DASH_MAP_TITLE = "案件地图"
DASH_MAP_ALL_CATEGORIES = "全部类别"
DASH_MAP_FROM = "登记自"
DASH_MAP_TO = "至"
DASH_MAP_HOTSPOTS = "热点（复发、重复地点）"
DASH_MAP_OUTSIDE = "边界外 {n} 件"
DASH_MAP_EXPORT_GEOJSON = "导出 GeoJSON"
DASH_MAP_EXPORT_XLSX = "导出 Excel"
DASH_MAP_EXPORT_NONE = "导出功能暂不可用"
DASH_MAP_STATUS_ALL = "全部状态"
DASH_MAP_STATUS = "状态"
DASH_MAP_FILE = "案件地图-{year}.{kind}"
DASH_MAP_SHOWN = "显示 {n} 个案件（{placed} 个有定位）"
DASH_MAP_HOTSPOT = "热点：{n} 个案件在此 {r} 米内（复发 {k} 次）"

# --- the outbox file: records carried to the office by cable or memory card (sync/outbox.py) ------
OUTBOX_EXPORT = "导出到文件"
OUTBOX_EXPORT_HINT = "连不上办事处时：把待上传的记录和照片导出成一个文件，用数据线或存储卡带到办事处导入。"
OUTBOX_EXPORTING = "正在导出…"
OUTBOX_EXPORTED = "已导出 {events} 项更新、{photos} 张照片：{file}"
OUTBOX_EXPORTED_MISSING = "另有 {n} 张照片在本机找不到，未能导出。"
OUTBOX_NOTHING = "没有待上传的记录，不需要导出。"
OUTBOX_IMPORTED = "{file}：收到{inspector}手机上的 {events} 项案件记录（登记、照片、复查等），新的 {accepted} 项，以前已收到 {duplicate} 项；新照片 {photos} 张"
OUTBOX_REJECTED = "{n} 项案件记录没有收下：{reasons}"
OUTBOX_WAITING = "{n} 项案件记录缺少照片，等手机联网同步后补齐"
OUTBOX_CONFLICTS = "{n} 项案件记录与办事处已有的内容不同，两份都已保留：请找管理员核对"
OUTBOX_ERRORS = {
    "not_outbox": "这不是手机导出的数据文件。",
    "version": "文件版本不受支持：请找管理员更新办事处的程序。",
    "damaged": "文件已损坏或被改动过，没有导入任何记录：请在手机上重新导出。",
    "unknown_device": "这部手机没有在本办事处登记，没有导入：请先登记手机。",
    "revoked": "这部手机的登记已被撤销，没有导入。",
    "too_large": "文件中有过大的内容，没有导入。",
    "not_enrolled": "本机还没有登记，不能导出：请先在“同步”页用绑定码登记。",
}


# --- who made each record; first run and 试用 (trial mode) -----------------------------------
#: A person known only by their id (the office has not told this phone their name).
PERSON_UNKNOWN = "未知人员"
#: Sample data: the phone's own name in trial mode (the sample's colleagues are in fieldapp/demo.py).
TRIAL_SELF = "我（试用）"
FIRST_RUN_TITLE = "欢迎使用整脏治乱巡查"
FIRST_RUN_INTRO = "请先连接办事处：登记的问题会自动同步到办事处，并记在您的名下。"
FIRST_RUN_CONNECT = "连接办事处"
FIRST_RUN_CONNECT_HINT = "填写办事处给您的地址和绑定码。"
FIRST_RUN_CONNECT_BUTTON = "连接并绑定本机"
FIRST_RUN_CONNECTED = "已连接办事处：以后的记录都记在{name}名下。"
FIRST_RUN_TRIAL = "先试用"
FIRST_RUN_TRIAL_HINT = "用示例案件看看怎么用。示例数据只在本机，不会上传，随时可以放弃。"
FIRST_RUN_TRIAL_BUTTON = "进入试用"
FIRST_RUN_TRIAL_MAKING = "正在准备示例案件…"
FIRST_RUN_LATER = "暂不连接，先登记问题"
TRIAL_BANNER = "试用模式：示例数据，不会上传"
TRIAL_DISCARD = "放弃试用数据"
TRIAL_DISCARD_TITLE = "放弃试用数据？"
TRIAL_DISCARD_TEXT = "示例案件和照片会全部删除，然后回到首次使用页面，连接办事处。"
TRIAL_DISCARD_OK = "放弃"
TRIAL_DISCARD_FAILED = "试用数据没有删除干净：请再试一次。"
SYNC_MESSAGES["trial_data"] = "本机在试用模式，存的是示例数据，不能连接办事处：请先点“放弃试用数据”。"
SYNC_REJECTIONS["trial_data"] = "是试用的示例数据，办事处不收"
OUTBOX_ERRORS["trial_data"] = "本机在试用模式，示例数据不能导出：请先点“放弃试用数据”。"


# --- evidence marks (fieldapp/domain/evidence.py): 明察暗访 is evidence ------------------------------
#: each mark in plain words: on the phone, the dashboard and the report
EVIDENCE_MARKS = {
    "mocked_position": "定位来自模拟位置",
    "photo_position": "位置仅来自照片",
    "outside_area": "位置不在本辖区内",
    "photo_old": "照片拍摄时间过早",
    "after_like_before": "整改后照片与整改前照片几乎相同",
}
EVIDENCE_MARK_OTHER = "证据存疑"  # a mark this version has no words for
#: what each mark means, said to the inspector before saving (登记问题) and on the case
EVIDENCE_WHY = {
    "mocked_position": "手机报告这次定位是模拟的（可能开着虚拟定位软件），不是真实位置。",
    "photo_position": "没有手机定位，案件位置取自照片里记录的位置，不能证明是在现场拍的。",
    "outside_area": "案件位置在本办事处辖区之外。",
    "photo_old": "照片是 {days} 天以前拍的（按照片记录的拍摄时间），不是这次检查时拍的。",
    "after_like_before": "整改后照片看起来和整改前照片几乎一样。",
}
EVIDENCE_WARN_TITLE = "证据提醒：保存后此案件会被标记，办事处可以看到"
EVIDENCE_WARN_HINT = "如果可以，请在现场打开定位、用“拍照”重新拍摄。"
EVIDENCE_CASE_LINE = "证据存疑：{marks}"
EVIDENCE_LINE = "{words}：{why}"  # one mark on the panel: its words, what it means
EVIDENCE_COLUMN = "证据"
CASE_SAVED_MARKED = "已登记：{category}，整改期限 {deadline}（已标记：{marks}）"
#: the 复查 / 整改反馈 dialog, as soon as a photo is chosen
AFTER_SAME_AS_BEFORE = ("这张照片和整改前照片是同一张，不能作为整改后照片，已移除。"
                        "请到现场重新拍一张。")
AFTER_LIKE_BEFORE = ("这张照片和整改前照片几乎相同：请确认是整改后在现场新拍的。"
                     "仍要保存的话，记录会被标记，办事处可以看到。")
RECHECK_CAMERA_FIRST = "请在现场用“拍照”拍整改后的照片；从相册选择的照片可能不是这次拍的。"


# --- issue 11: the 通报 pack, case lists for others' systems, the scoring's last edges ----------------
# (fieldapp/office/bulletin.py, fieldapp/office/export.py, fieldapp/commands/office_bulletin.py)
#: why a link is not a recurrence (fieldapp.domain.recurrence LINK_FAULTS): the dashboard, imports, report
RECURRENCE_FAULTS = {
    "recurrence_other_community": "两个案件不属于同一社区",
    "recurrence_other_category": "两个案件的问题类别不同",
    "recurrence_not_earlier": "前案不早于本案",
    "recurrence_not_rectified": "前案尚未整改到位",
}
ERRORS.update({
    "recurrence_other_community": "不能认定为再次出现：两个案件不属于同一社区（再次出现须是同一社区、同一类别、已整改到位的前案）。",
    "recurrence_other_category": "不能认定为再次出现：两个案件的问题类别不同（再次出现须是同一社区、同一类别、已整改到位的前案）。",
    "recurrence_not_earlier": "不能认定为再次出现：前案的发现时间不早于本案。",
    "recurrence_not_rectified": "不能认定为再次出现：前案尚未整改到位（问题仍在，是同一问题，不是再次出现）。",
    "recurrence_unknown_earlier": "不能认定为再次出现：前案尚未同步到办事处，无法核对。",
})
SYNC_REJECTIONS["recurrence_invalid"] = "所关联的前案不是同一社区、同一类别的更早案件，不能算再次出现"
REPORT_NOTE_TEXTS["recurrence_invalid"] = "{case}：所认定的前案 {earlier} 不符合再次出现的条件（{fault}），不按再次出现扣分"
REPORT_NOTE_KINDS["recurrence_invalid"] = "前案不符合条件、不按再次出现扣分"
RECORD_RECURRENCE_INVALID = "{field}：{fault}，不能认定为再次出现（须是同一社区、同一类别、已整改到位的更早案件）"
# a .jsonl that is not UTF-8, and JSON errors in words (imports.py)
IMPORT_NOT_UTF8_LINE = ("不是 UTF-8 编码：从这一行起有无法识别的字符{guess}。请在 Excel 或记事本中“另存为”，"
                        "编码选择 UTF-8，再导入")
IMPORT_LOOKS_GBK = "（看起来是 GBK/GB18030 编码，Excel 中文版的默认）"
IMPORT_NOT_JSON_WHY = "不是有效的 JSON：第 {column} 个字符处{why}"
#: json.JSONDecodeError's messages (their start) in words; anything else: IMPORT_JSON_OTHER
IMPORT_JSON_WORDS = {
    "Expecting property name enclosed in double quotes": "应为用英文双引号括起来的项名",
    "Expecting ',' delimiter": "缺少英文逗号",
    "Expecting ':' delimiter": "缺少英文冒号",
    "Expecting value": "缺少值（或用了中文引号、单引号）",
    "Unterminated string": "引号没有结束",
    "Invalid control character": "文字中有换行或制表符等控制字符",
    "Invalid \\escape": "有无效的反斜杠转义",
    "Extra data": "一行之后还有多余的内容（每行只能有一条记录）",
}
IMPORT_JSON_OTHER = "格式有误"
IMPORT_RECURRENCE_EARLIER = "前案"

# --- the 通报 (bulletin) PDFs ---------------------------------------------------------------------
BULLETIN_TITLE_YEAR = "{year}年度“整脏治乱”考核通报"
BULLETIN_TITLE_MONTH = "{year}年{month}月“整脏治乱”考核通报"
BULLETIN_COMMUNITY_TITLE = "{community}考核情况"
BULLETIN_EVALUATED = "评分截至 {day} 24 时（北京时间）"
BULLETIN_EVALUATED_MONTH = "排名为截至 {day} 24 时的本年度累计结果"
BULLETIN_RANK_LINE = "第 {rank} 名{tied}，最终得分 {final}"
BULLETIN_VOLUME = "（第 {n} 册，共 {of} 册）"
BULLETIN_SECTION_RANKING = "一、社区排名"
BULLETIN_SECTION_COMPONENTS = "二、三项得分"
BULLETIN_SECTION_CHART = "三、得分对比"
BULLETIN_SECTION_MONTH = "四、本月情况"
BULLETIN_SECTION_FUND = "奖惩基金"
BULLETIN_SECTION_READINGS = "本通报所依据的规则解读"
BULLETIN_SECTION_NOTES = "其他说明"
BULLETIN_SECTION_SUMMARY = "得分构成"
BULLETIN_SECTION_DEDUCTIONS = "扣分明细（{n} 项，合计 {total}）"
BULLETIN_SECTION_BONUSES = "加分明细（{n} 项，合计 {total}）"
BULLETIN_SECTION_MONTH_CASES = "本月登记的案件（{n} 件）"
BULLETIN_NO_DEDUCTIONS = "没有扣分。"
BULLETIN_NO_BONUSES = "没有加分。"
BULLETIN_NO_MONTH_CASES = "本月没有登记案件。"
BULLETIN_RANKING_HEAD = ("名次", "社区", "上级考核", "本办考核", "群众满意度", "综合得分", "扣分", "加分", "最终得分")
BULLETIN_COMPONENTS_HEAD = ("社区", "上级考核", "依据", "本办考核", "依据", "群众满意度", "依据")
BULLETIN_MONTH_HEAD = ("社区", "本月上级考核", "本月登记", "已整改", "逾期未整改", "待整改", "已作废")
BULLETIN_MONTH_CASES_HEAD = ("案件", "问题类别", "来源", "地点", "发现", "整改期限", "目前状态")
BULLETIN_FUND_HEAD = ("角色", "每人（元）", "人数", "金额（元）")
BULLETIN_CHART_LEGEND = ("上级考核", "本办考核", "群众满意度", "最终得分")
BULLETIN_NO_SCORE = "未评"
BULLETIN_FUND_NONE = "尚未录入奖惩基金名单。"
BULLETIN_FUND_TOTALS = "责任金 {deposits} 元，办事处匹配 {match} 元，合计 {total} 元。"
BULLETIN_COMMUNITY_FILES = "各社区的扣分、加分明细及照片证据见各社区的通报附件。"
# one line item and its case's evidence
BULLETIN_POINTS = "{points} 分"
BULLETIN_CASE_FACTS = "问题类别：{category}；来源：{source}；地点：{place}"
BULLETIN_CASE_DATES = "发现：{found}；整改期限：{deadline}；登记人：{by}"
BULLETIN_RECTIFIED = "整改到位：{day}（{timely}）"
BULLETIN_ON_TIME = "按期"
BULLETIN_LATE = "逾期"
BULLETIN_NOT_RECTIFIED = "尚未整改到位"
BULLETIN_VOIDED = "已作废：{reason}"
BULLETIN_CHECKS = "复查：{checks}"
BULLETIN_CHECK = "{day} {outcome}{note}"
BULLETIN_NO_CHECKS = "复查：尚无"
BULLETIN_REPORTS = "社区整改反馈：{reports}"
BULLETIN_EXEMPTED = "免于加扣，理由：{reason}"
BULLETIN_EXEMPTION_ASKED = "社区申请免责：{reason}"
BULLETIN_EXEMPTION_REFUSED = "免责申请未获同意：{reason}"
BULLETIN_RECURRENCE = "再次出现：前案 {ref}，{category}，{place}，发现于 {found}，{rectified}"
BULLETIN_RECURRENCE_UNKNOWN = "再次出现：前案 {ref}（办事处没有该案件的记录）"
BULLETIN_MARKS = "证据存疑：{marks}"
BULLETIN_PHOTO_BEFORE = "整改前"
BULLETIN_PHOTO_AFTER = "整改后"
BULLETIN_PHOTO_EARLIER_BEFORE = "前案整改前"
BULLETIN_PHOTO_EARLIER_AFTER = "前案整改后"
BULLETIN_PHOTO_MISSING = "照片未同步"
BULLETIN_NO_PHOTOS = "没有照片。"
BULLETIN_BONUS_LINE = "{date}：{description}"
BULLETIN_CLOSING = "特此通报。"
BULLETIN_PERIOD_YEAR = "{year}年度"
BULLETIN_PERIOD_MONTH = "{year}年{month}月"
BULLETIN_FILE_MAIN = "通报-{period}.pdf"
BULLETIN_FILE_COMMUNITY = "通报-{period}-{community}{volume}.pdf"
BULLETIN_FILE_VOLUME = "-第{n}册"
BULLETIN_PACK_FILE = "通报-{period}.zip"
BULLETIN_MONTH_STATUS_NOTE = "案件状态为通报生成当日的状态。"
BULLETIN_MORE_PHOTOS = "另有 {n} 张照片"
CLI_BULLETIN_WRITTEN = "已写出 {n} 个文件到 {dir}："
CLI_BULLETIN_BAD_MONTH = "月份应为 {year} 年的月份，如 {year}-06，却是“{value}”"
CLI_BULLETIN_MONTH_AND_AS_OF = "--month 和 --as-of 只能用一个"
DASH_BULLETIN = "下载通报"
DASH_BULLETIN_MONTH = "月份"
DASH_BULLETIN_WHOLE_YEAR = "全年"
DASH_BULLETIN_HINT = "通报（PDF，压缩包）：街道总表一份，每个社区一份，含每项扣分、加分的照片证据。"

# --- case lists for others' systems (export.py) ----------------------------------------------------
EXPORT_HEAD = ("案件编号", "案件 ID", "社区", "问题类别", "来源", "地点", "问题描述", "纬度", "经度", "发现时间",
               "整改期限", "状态", "整改到位时间", "是否按期", "登记人", "证据存疑", "整改前照片", "整改后照片")
EXPORT_SHEET = "案件"
EXPORT_YES = "是"
EXPORT_NO = "否"
EXPORT_STATUS = {
    "open": "待整改", "due_soon": "即将到期", "due_today": "今日到期", "overdue": "已逾期",
    "rectified_on_time": "按期整改", "rectified_late": "逾期整改", "voided": "已作废",
}
EXPORT_FILE = "案件清单-{year}{community}{status}.{ext}"
CLI_EXPORT_WRITTEN = "已导出 {n} 个案件到 {path}"
CLI_EXPORT_BAD_STATUS = "没有这个状态“{value}”，应为 {choices}"
DASH_EXPORT_CASES = "导出案件清单"
DASH_EXPORT_CASES_HINT = "按当前筛选（社区、状态）导出本年度的案件：Excel、CSV（UTF-8）或 GeoJSON（地图软件）。"
EXPORT_STATUS_FILTERS = {"open_all": "未办结", "rectified": "已整改", "all": "全部"}
CLI_EXPORT_BAD_FORMAT = "不支持的格式 {suffix}：请用 xlsx、csv 或 geojson"

# --- the office over TLS, enrolment by QR code (issue 10: sync/tls.py, sync/enrolqr.py) ------------
SYNC_MESSAGES["certificate_mismatch"] = ("办事处的安全证书与绑定本机时的不一致，没有发送任何数据：可能连到了别的电脑。"
                                         "请确认办事处地址；若办事处确实换了电脑或证书，请扫描新的绑定二维码重新绑定。")
SYNC_MESSAGES["pin_missing"] = "缺少办事处的证书指纹：请扫描绑定二维码，或把二维码下方的指纹一并输入。"
SYNC_MESSAGES["too_deep"] = "办事处无法读取本机发送的数据：请把应用更新到最新版本。"
SYNC_MESSAGES["too_many_requests"] = "绑定尝试次数过多：请过一分钟再试，并核对绑定码。"
SYNC_MESSAGES["upload_quota"] = "本机已上传但尚未提交的照片过多：请稍后再同步，先提交的记录会腾出空间。"
SYNC_REJECTIONS["device_mismatch"] = "记录来自另一部手机，不是本机的记录"
#: Reading the enrolment QR code from a photo, or its text typed (sync/enrolqr.py InviteError codes).
ENROL_QR_ERRORS = {
    "not_enrolment": "这不是办事处的绑定二维码：请拍摄“绑定手机”显示的二维码。",
    "incomplete": "绑定二维码不完整（缺少办事处地址、绑定码或证书指纹）：请重新拍摄。",
    "no_qr": "照片里没有找到二维码：请靠近一些、对准二维码重新拍摄。",
    "not_image": "所选文件不是照片。",
    "no_reader": "本机不能识别二维码：请手动输入办事处地址、绑定码和证书指纹。",
}
SYNC_SCAN_QR = "扫描绑定二维码"
SYNC_SCAN_QR_DONE = "已读取绑定二维码：办事处 {server}"
SYNC_FINGERPRINT = "证书指纹（二维码下方，16位）"
# The dashboard's 绑定手机 (fieldapp/office/dashboard/enrol_view.py) and `fieldapp office enrol`
DASH_ENROL = "绑定手机"
DASH_ENROL_HINT = "为巡查人员或社区工作人员的手机生成一次性绑定码：用手机“同步”页的“扫描绑定二维码”拍摄，24小时内有效，只能用一次。"
DASH_ENROL_NAME = "人员编号"
DASH_ENROL_COMMUNITIES = "社区"
DASH_ENROL_ROLE = "身份"
DASH_ENROL_ROLES = {"inspector": "巡查人员", "community": "社区工作人员"}
DASH_ENROL_MAKE = "生成绑定二维码"
DASH_ENROL_CODE = "绑定码 {code}（{expires} 前有效）"
DASH_ENROL_FINGERPRINT = "证书指纹 {fingerprint}"
DASH_ENROL_NO_COMMUNITY = "请至少选择一个社区。"
DASH_ENROL_ADMIN_ONLY = "只有管理员可以绑定手机。"
DASH_ENROL_PLAIN_HTTP = "办事处以不加密的 HTTP 运行（--insecure-http）：二维码里没有证书指纹，只能用于测试。"
# Logins (fieldapp/office/users.py): a growing wait instead of a lock-out
DASH_LOGIN_WAIT = "登录失败次数过多：请 {seconds} 秒后再试。"
