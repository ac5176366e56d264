//! The official labels of the three tables, and the order of their rows and columns.
//!
//! Renderers, checks and the importer all walk these lists, so a label is written
//! once. They follow 国办公开办函〔2021〕30号 exactly; the generator always prints these,
//! whatever variants a published page used.

use super::{Applications, Outcomes, ReviewsAndLawsuits, Row};

/// One applicant column of table B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The YAML key.
    pub key: &'static str,
    /// The header under 申请人情况 (for the five organisation columns, under 法人或其他组织).
    pub label: &'static str,
}

/// The six applicant columns of table B, in the official order.
pub const APPLICANTS: [Column; 6] = [
    Column { key: "natural_person", label: "自然人" },
    Column { key: "commercial_enterprise", label: "商业企业" },
    Column { key: "research_institution", label: "科研机构" },
    Column { key: "social_welfare_org", label: "社会公益组织" },
    Column { key: "legal_service_org", label: "法律服务机构" },
    Column { key: "other_org", label: "其他" },
];

/// Header over the five organisation columns.
pub const ORGANISATIONS: &str = "法人或其他组织";

/// A row of table B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowDef {
    /// JSON pointer of the row under `/applications`, e.g. `/results/withheld/state_secret`.
    pub path: &'static str,
    /// The printed label, e.g. `1.属于国家秘密`.
    pub label: &'static str,
    /// The group heading the row sits under, e.g. `（三）不予公开`; `None` for rows of their own.
    pub group: Option<&'static str>,
}

const fn row(path: &'static str, label: &'static str, group: Option<&'static str>) -> RowDef {
    RowDef { path, label, group }
}

const WITHHELD: Option<&str> = Some("（三）不予公开");
const UNAVAILABLE: Option<&str> = Some("（四）无法提供");
const NOT_PROCESSED: Option<&str> = Some("（五）不予处理");
const OTHER: Option<&str> = Some("（六）其他处理");

/// 一、本年新收政府信息公开申请数量
pub const RECEIVED: RowDef = row("/received", "一、本年新收政府信息公开申请数量", None);
/// 二、上年结转政府信息公开申请数量
pub const CARRIED_OVER: RowDef = row("/carried_over", "二、上年结转政府信息公开申请数量", None);
/// The label spanning the 22 result rows.
pub const RESULTS_LABEL: &str = "三、本年度办理结果";
/// （七）总计
pub const RESULTS_TOTAL: RowDef = row("/results/total", "（七）总计", None);
/// 四、结转下年度继续办理
pub const CARRIED_FORWARD: RowDef = row("/carried_forward", "四、结转下年度继续办理", None);

/// The 21 result rows （一）…（六）, in the official order.
pub const RESULT_ROWS: [RowDef; 21] = [
    row("/results/disclosed", "（一）予以公开", None),
    row("/results/partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    row("/results/withheld/state_secret", "1.属于国家秘密", WITHHELD),
    row("/results/withheld/prohibited_by_law", "2.其他法律行政法规禁止公开", WITHHELD),
    row("/results/withheld/endangers_security_stability", "3.危及“三安全一稳定”", WITHHELD),
    row("/results/withheld/third_party_rights", "4.保护第三方合法权益", WITHHELD),
    row("/results/withheld/internal_affairs", "5.属于三类内部事务信息", WITHHELD),
    row("/results/withheld/process_information", "6.属于四类过程性信息", WITHHELD),
    row("/results/withheld/law_enforcement_file", "7.属于行政执法案卷", WITHHELD),
    row("/results/withheld/administrative_query", "8.属于行政查询事项", WITHHELD),
    row("/results/unavailable/not_held", "1.本机关不掌握相关政府信息", UNAVAILABLE),
    row("/results/unavailable/needs_creation", "2.没有现成信息需要另行制作", UNAVAILABLE),
    row("/results/unavailable/unclear_after_correction", "3.补正后申请内容仍不明确", UNAVAILABLE),
    row("/results/not_processed/petition_or_complaint", "1.信访举报投诉类申请", NOT_PROCESSED),
    row("/results/not_processed/duplicate", "2.重复申请", NOT_PROCESSED),
    row("/results/not_processed/publication", "3.要求提供公开出版物", NOT_PROCESSED),
    row("/results/not_processed/excessive_repeated", "4.无正当理由大量反复申请", NOT_PROCESSED),
    row("/results/not_processed/confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息", NOT_PROCESSED),
    row("/results/other/overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", OTHER),
    row("/results/other/unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", OTHER),
    row("/results/other/other", "3.其他", OTHER),
];

/// The corner note of table B.
pub const BALANCE_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// The four outcome columns of table C, then 总计.
pub const OUTCOMES: [(&str, &str); 5] =
    [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计")];

/// The three groups of table C: key and label.
pub const REVIEW_GROUPS: [(&str, &str); 3] =
    [("review", "行政复议"), ("lawsuit_direct", "未经复议直接起诉"), ("lawsuit_after_review", "复议后起诉")];

impl Row {
    /// The six applicant cells, in [`APPLICANTS`] order.
    pub fn cells(&self) -> [u64; 6] {
        [
            self.natural_person.0,
            self.commercial_enterprise.0,
            self.research_institution.0,
            self.social_welfare_org.0,
            self.legal_service_org.0,
            self.other_org.0,
        ]
    }
}

impl Applications {
    /// The 21 result rows, in [`RESULT_ROWS`] order.
    pub fn result_rows(&self) -> [&Row; 21] {
        let r = &self.results;
        [
            &r.disclosed,
            &r.partially_disclosed,
            &r.withheld.state_secret,
            &r.withheld.prohibited_by_law,
            &r.withheld.endangers_security_stability,
            &r.withheld.third_party_rights,
            &r.withheld.internal_affairs,
            &r.withheld.process_information,
            &r.withheld.law_enforcement_file,
            &r.withheld.administrative_query,
            &r.unavailable.not_held,
            &r.unavailable.needs_creation,
            &r.unavailable.unclear_after_correction,
            &r.not_processed.petition_or_complaint,
            &r.not_processed.duplicate,
            &r.not_processed.publication,
            &r.not_processed.excessive_repeated,
            &r.not_processed.confirm_or_reissue,
            &r.other.overdue_correction,
            &r.other.unpaid_fee,
            &r.other.other,
        ]
    }

    /// The 21 result rows, mutable, in [`RESULT_ROWS`] order.
    pub fn result_rows_mut(&mut self) -> [&mut Row; 21] {
        let r = &mut self.results;
        [
            &mut r.disclosed,
            &mut r.partially_disclosed,
            &mut r.withheld.state_secret,
            &mut r.withheld.prohibited_by_law,
            &mut r.withheld.endangers_security_stability,
            &mut r.withheld.third_party_rights,
            &mut r.withheld.internal_affairs,
            &mut r.withheld.process_information,
            &mut r.withheld.law_enforcement_file,
            &mut r.withheld.administrative_query,
            &mut r.unavailable.not_held,
            &mut r.unavailable.needs_creation,
            &mut r.unavailable.unclear_after_correction,
            &mut r.not_processed.petition_or_complaint,
            &mut r.not_processed.duplicate,
            &mut r.not_processed.publication,
            &mut r.not_processed.excessive_repeated,
            &mut r.not_processed.confirm_or_reissue,
            &mut r.other.overdue_correction,
            &mut r.other.unpaid_fee,
            &mut r.other.other,
        ]
    }

    /// Every row that is typed (not the computed （七）总计), with its definition.
    pub fn typed_rows(&self) -> Vec<(RowDef, &Row)> {
        let mut rows = vec![(RECEIVED, &self.received), (CARRIED_OVER, &self.carried_over)];
        rows.extend(RESULT_ROWS.iter().copied().zip(self.result_rows()));
        rows.push((CARRIED_FORWARD, &self.carried_forward));
        rows
    }
}

impl ReviewsAndLawsuits {
    /// The three groups, in [`REVIEW_GROUPS`] order.
    pub fn groups(&self) -> [&Outcomes; 3] {
        [&self.review, &self.lawsuit_direct, &self.lawsuit_after_review]
    }
}

impl Outcomes {
    /// 维持 · 纠正 · 其他 · 尚未审结.
    pub fn cells(&self) -> [u64; 4] {
        [self.upheld.0, self.corrected.0, self.other.0, self.pending.0]
    }
}

/// A cell named for a person, by its JSON pointer: `表三“（一）予以公开”·自然人`,
/// `表二“行政规范性文件”·本年制发件数`, `表四“行政复议”·总计`.
pub fn describe(pointer: &str) -> String {
    if pointer == "/meta/agency" {
        return "机关名称（meta.agency）".into();
    }
    let (row, col) = pointer.rsplit_once('/').unwrap_or((pointer, ""));
    let col_name = APPLICANTS
        .iter()
        .find(|c| c.key == col)
        .map(|c| c.label)
        .or_else(|| OUTCOMES.iter().find(|o| o.0 == col).map(|o| o.1))
        .unwrap_or(match col {
            "issued" => "本年制发件数",
            "repealed" => "本年废止件数",
            "in_force" => "现行有效件数",
            "licensing" => "行政许可",
            "punishment" => "行政处罚",
            "enforcement" => "行政强制",
            "fees" => "行政事业性收费",
            other => other,
        });
    if let Some(path) = row.strip_prefix("/applications") {
        let label = [RECEIVED, CARRIED_OVER, RESULTS_TOTAL, CARRIED_FORWARD]
            .iter()
            .chain(RESULT_ROWS.iter())
            .find(|d| d.path == path)
            .map_or(path, |d| d.label);
        return format!("表三“{label}”·{col_name}");
    }
    if let Some(group) = row.strip_prefix("/reviews_and_lawsuits/") {
        let label = REVIEW_GROUPS.iter().find(|g| g.0 == group).map_or(group, |g| g.1);
        return format!("表四“{label}”·{col_name}");
    }
    match row {
        "/proactive/rules" => format!("表二“规章”·{col_name}"),
        "/proactive/normative_documents" => format!("表二“行政规范性文件”·{col_name}"),
        _ => format!("表二“{col_name}”"),
    }
}
