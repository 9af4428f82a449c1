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
DUE_IN_DAYS = "还剩 {n} 天"
OVERDUE_BY_DAYS = "已逾期 {n} 天"
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
