"""The words both the phone app and the office speak (zh-CN, in the plan's own words).

Statuses, categories' words, dates, the sync protocol's messages, error texts: what a phone
and the office both show. Each side keeps its own words beside its code and takes these with
``from fieldapp.text.common import *``: the phone in `fieldapp.ui.strings`, the office in
`fieldapp.office.words`. Rules for all three modules (from the phone's, where they began):
never a Chinese literal in screen code; ``scripts/make_font_subset.py`` reads these files, so
every character here is in the bundled font subset.
"""

from __future__ import annotations

COMMUNITY = "社区"
STATUS_RECTIFIED = "整改到位"
STATUS_NOT_RECTIFIED = "未整改到位"
STATUS_OVERDUE = "逾期"
STATUS_VOIDED = "已作废"
DUE_TODAY = "今日到期"
DUE_IN_DAYS = "剩{n}天"
OVERDUE_BY_DAYS = "逾期{n}天"
OVERDUE_SINCE_YEAR = "{year}年度·逾期"  # a case overdue since an earlier year: its year, not 1675 days
VOID = "作废"
VOID_REASON = "作废原因"
REGISTERED_AT = "登记时间"
LIST_SEPARATOR = "、"  # between the items of a list: 第一社区、第二社区

# --- dates (display in China Standard Time) -------------------------------------------
DATE_FMT = "{month}月{day}日"
DATE_FULL_FMT = "{year}年{month}月{day}日"
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
ALL_COMMUNITIES = "全部社区"
STATUS_DUE_SOON = "即将到期"
STATUS_LATER = "待整改"
STATUS_CLOSED = "已办结"
STATUS_RECTIFIED_ON_TIME = "按期整改到位"
STATUS_RECTIFIED_LATE = "逾期整改到位"
DEADLINE_ON = "整改期限 {date}"
NO_PLACE = "未填写地点"
POSITION_FMT = "北纬 {lat:.5f}，东经 {lon:.5f}"
POSITION_FMT_ANY = "纬度 {lat:.5f}，经度 {lon:.5f}"
DISTANCE_M = "{n} 米"
DISTANCE_KM = "{n:.1f} 公里"
TIMELINE = "处理记录"
CASE_CLOSED_VOIDED = "已作废：{reason}"
REGISTERED_BY = "登记人 {who}"
CLOSE = "关闭"
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

EV_REPORTED = "社区反馈：已整改"
EV_PHOTO_EXEMPTION = "添加申请免责的照片"
EV_EXEMPTION_REQUESTED = "社区申请免责：{reason}"
EV_EXEMPTION_REFUSED = "办事处不同意免责：{reason}"
AWAITING_RECHECK_SINCE = "已反馈整改，待复查（{when}）"
RECHECK_FAILED_REASON = "复查未通过：{reason}"
RECHECK_FAILED_NO_REASON = "复查未通过"
VOID_HINT = "作废后此案件不再计分。请写明原因（如：重复登记、登记错误）。"
VOID_SAVED = "案件已作废"
SECTION_COMMUNITY = "所属社区"
LOCATION_OK = "已定位，精度约 {m} 米"
LOCATION_OK_UNKNOWN = "已定位（精度未知）"
LOCATION_POOR = "定位精度约 {m} 米，偏差较大：请到开阔处重新定位，或在下方写清地点"
LOCATION_FROM_PHOTO = "没有定位：将使用照片里的位置（{pos}），精度约 {m} 米"
LOCATION_FROM_PHOTO_UNKNOWN = "没有定位：将使用照片里的位置（{pos}），精度未知"
LOCATION_FROM_PHOTO_POOR = ("没有定位：将使用照片里的位置（{pos}），精度约 {m} 米，偏差较大："
                            "请到开阔处重新定位，或在下方写清地点")
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
PARENS = "（{text}）"
SEPARATOR = "，"
DASH_SUP_OFFICE_ACTOR = "办事处 {name}"
MAP_MARKER = "{category}·{community}·{status}"
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
EVIDENCE_CASE_LINE = "证据存疑：{marks}"
ERRORS.update({
    "recurrence_other_community": "不能认定为再次出现：两个案件不属于同一社区（再次出现须是同一社区、同一类别、已整改到位的前案）。",
    "recurrence_other_category": "不能认定为再次出现：两个案件的问题类别不同（再次出现须是同一社区、同一类别、已整改到位的前案）。",
    "recurrence_not_earlier": "不能认定为再次出现：前案的发现时间不早于本案。",
    "recurrence_not_rectified": "不能认定为再次出现：前案尚未整改到位（问题仍在，是同一问题，不是再次出现）。",
    "recurrence_unknown_earlier": "不能认定为再次出现：前案尚未同步到办事处，无法核对。",
})
SYNC_REJECTIONS["recurrence_invalid"] = "所关联的前案不是同一社区、同一类别的更早案件，不能算再次出现"

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
