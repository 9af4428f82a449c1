"""The phone app's own zh-CN words, in the words of the 2022 plan; with every word both the
phone and the office speak (`fieldapp.text.common`, taken in below). The office keeps its own
in `fieldapp.office.words`.

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

from fieldapp.text.common import *  # noqa: F401,F403 - the words both sides speak

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
FIVE_DIRTY = "五脏"
FIVE_CHAOTIC = "五乱"
STATUS_OPEN = "待整改"
STATUS_RECURRED = "再次出现"
DEADLINE = "整改期限"
DUE_THIS_WEEK = "本周到期"
DUE_LATER = "以后到期"
# The phone has no rules for the current year (fieldapp/ui/yearnote.py): 登记问题, 我的案件.
YEAR_NO_RULES = ("本机还没有{year}年度的考核规则：整改期限暂按{fallback}年度的规则，"
                 "{year}年的案件在办事处定出规则后计分。同步时会收到新规则。")
RECHECK = "复查"
RECHECK_RESULT = "复查结果"
MODE_OPEN = "明察"
MODE_COVERT = "暗访"
INSPECTION_MODE = "检查方式"
INSPECTOR = "巡查人员"
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

# =====================================================================================
# Screens (added with the inspector's screens)
# =====================================================================================

# --- 我的案件 ------------------------------------------------------------------------
ALL = "全部"
FILTER_STATUS_ALL = "全部待办"
ONLY_MINE = "我登记的"
LOAD_MORE = "加载更多"
LOADING = "正在加载…"
ALL_SHOWN = "已显示全部 {n} 件"
CASES_FILTER_EMPTY = "没有符合条件的待办案件"
CASES_FILTER_EMPTY_HINT = "换一个社区或状态看看。"
THUMB_MISSING = "无照片"
CASES_COUNT = "待办 {n} 件"

# --- 案件详情 ------------------------------------------------------------------------
TITLE_DETAIL = "案件详情"
POSITION = "位置"
NO_POSITION = "没有定位，只有地点描述"
DISTANCE_FROM_HERE = "距您约 {d}"
PLACE = "地点"
NO_AFTER_PHOTO = "还没有整改后照片"
CASE_CLOSED_RECTIFIED = "已整改到位，无需再复查"
SIGHTINGS = "再次看到 {n} 次"
VIEW_PHOTO = "查看照片"
PHOTO_LOAD_FAILED = "照片文件不在本机（可能尚未同步）"
CASE_OF_YEAR = "{year}年度的案件（按该年度的规则计分）"

# --- the community's phone: 待整改, 整改反馈, 申请免责 ------------------------------------------
TAB_TODO = "待整改"
TITLE_TODO = "本社区待整改"
TODO_EMPTY = "暂无待整改问题"
TODO_EMPTY_HINT = "办事处交办给本社区的问题会按整改期限排在这里；同步后自动更新。"
AWAITING_RECHECK = "待复查"
SOURCE_LINE = "案件来源：{source}"
REPORT_DONE = "已整改"
REPORT_TITLE = "整改反馈"
REPORT_HINT = "拍一张整改后照片（至少一张），写明整改情况；巡查人员复查通过后即按反馈时间算整改完成。"
REPORT_NOTE = "整改情况（选填）"
REPORT_SAVE = "提交整改反馈"
REPORT_SAVED = "整改反馈已保存，同步后巡查人员会来复查"
REPORTED_BY = "{who} 于 {when} 反馈已整改"
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
VOID_CONFIRM = "确定作废"

# --- 登记问题 ------------------------------------------------------------------------
SECTION_CATEGORY = "问题类别（必选）"
SECTION_PHOTOS = "照片（至少一张）"
SECTION_POSITION = "位置"
SECTION_MODE = "检查方式"
SECTION_DEADLINE = "整改期限"
SECTION_NOTE = "问题描述"
CHANGE_DEADLINE = "修改期限"
DEADLINE_DEFAULT_HINT = "默认 {n} 天（办事处检查发现）"
PLACE_LABEL = "地点（街道、门牌、标志物）"
NOTE_LABEL = "备注（选填）"
RELOCATE = "重新定位"
LOCATION_NONE = "没有定位：将使用照片里的位置；照片也没有位置时，请在下方写清地点"
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
ME_ABOUT = "关于本机"
ME_DEVICE_ID = "设备编号"
ME_DATA_DIR = "数据文件夹"
ME_VERSION = "版本"
ME_SAVE = "保存设置"
ME_SAVED = "设置已保存"
ERROR_PICKER = "没有取到照片，请重试。"
CLAUSE_SEPARATOR = "；"
VIEW_LIST = "列表"
VIEW_MAP = "地图"
MAP_PLAIN = "无底图：只显示案件和社区边界"
MAP_UNPLACED = "{n} 个案件没有定位，不在地图上"
MAP_SHOWN = "地图上 {n} 个案件"
MAP_CLUSTER = "{n} 个案件，点击放大"
MAP_ZOOM_IN = "放大"
MAP_ZOOM_OUT = "缩小"
MAP_PIN_HINT = "定位不准时，点地图上问题所在处移动标记"
MAP_PIN_MOVED = "已在地图上调整位置，距 GPS 定位 {m}（两个位置都会保存）"
MAP_PIN_RESET = "用 GPS 位置"
MAP_IN_COMMUNITY = "定位在{name}范围内"
MAP_NOT_IN_CHOSEN = "注意：定位不在{chosen}范围内，而在{other}范围内"
MAP_NOT_IN_ANY = "注意：定位不在任何社区的边界内"
MAP_NAVIGATE = "导航前往"
MAP_PLACED_NOTE = "位置由登记人在地图上调整；GPS 定位 {fix}，相距 {m}"
SYNC_MAP_TITLE = "离线地图"
SYNC_MAP_LINE = "{title}：{text}"
SYNC_MAP_HELD = "已下载本机社区的地图：缩放至 {z} 级，{mb:.1f} MB"
SYNC_MAP_NONE = "尚未下载：办事处有地图时，同步时自动下载本机社区的部分"

# --- the outbox file: records carried to the office by cable or memory card (sync/outbox.py) ------
OUTBOX_EXPORT = "导出到文件"
OUTBOX_EXPORT_HINT = "连不上办事处时：把待上传的记录和照片导出成一个文件，用数据线或存储卡带到办事处导入。"
OUTBOX_EXPORTING = "正在导出…"
OUTBOX_EXPORTED = "已导出 {events} 项更新、{photos} 张照片：{file}"
OUTBOX_EXPORTED_MISSING = "另有 {n} 张照片在本机找不到，未能导出。"
OUTBOX_NOTHING = "没有待上传的记录，不需要导出。"


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
EVIDENCE_LINE = "{words}：{why}"  # one mark on the panel: its words, what it means
CASE_SAVED_MARKED = "已登记：{category}，整改期限 {deadline}（已标记：{marks}）"
#: the 复查 / 整改反馈 dialog, as soon as a photo is chosen
AFTER_SAME_AS_BEFORE = ("这张照片和整改前照片是同一张，不能作为整改后照片，已移除。"
                        "请到现场重新拍一张。")
AFTER_LIKE_BEFORE = ("这张照片和整改前照片几乎相同：请确认是整改后在现场新拍的。"
                     "仍要保存的话，记录会被标记，办事处可以看到。")
RECHECK_CAMERA_FIRST = "请在现场用“拍照”拍整改后的照片；从相册选择的照片可能不是这次拍的。"
SYNC_SCAN_QR = "扫描绑定二维码"
SYNC_SCAN_QR_DONE = "已读取绑定二维码：办事处 {server}"
SYNC_FINGERPRINT = "证书指纹（二维码下方，16位）"
