//! The report's types: what an author writes in `data.yaml`, deserialized with
//! `deny_unknown_fields` and described (in Chinese) for the generated JSON Schema.
//!
//! Every count defaults to 0, so a hand-written file may leave out any row or group.
//! Totals are never required: [`totals`] computes them, and a stated `total` (as an
//! imported report carries) is only compared with the computed one by `check`.

// Fields are documented where authors read them: the schemars `title`/`description`
// (in Chinese) that editors show on hover. Rust doc comments would repeat them.
#![allow(missing_docs)]

pub mod labels;
pub mod totals;
pub mod unknown;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The largest count accepted (一万亿). Sums of a whole table stay far below `u64::MAX`,
/// and arithmetic is checked all the same.
pub const MAX_COUNT: u64 = 1_000_000_000_000;

/// A non-negative whole number of documents, decisions or applications.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Count(pub u64);

impl JsonSchema for Count {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Count".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_COUNT,
            "default": 0
        })
    }
}

impl std::fmt::Display for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The whole data file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "政府信息公开工作年度报告",
    description = "reportgen 数据文件：一份政府信息公开工作年度报告（国办公开办函〔2021〕30号格式）的全部数据。"
)]
pub struct Report {
    #[schemars(title = "基本信息", description = "机关名称、统计年度、发布日期等。")]
    pub meta: Meta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        title = "导语",
        description = "报告开头的说明（Markdown，可用 {{ … }} 引用数据）。省略时自动生成：根据《条例》编制本报告，统计期限为该年1月1日至12月31日。"
    )]
    pub preamble: Option<String>,
    #[serde(default)]
    #[schemars(title = "一、总体情况", description = "第一部分：总体情况，可分若干小节（（一）主动公开、（二）依申请公开……）。")]
    pub overview: Overview,
    #[serde(default)]
    #[schemars(
        title = "二、主动公开政府信息情况",
        description = "第二部分表格：规章、行政规范性文件、行政许可、行政处罚、行政强制、行政事业性收费。"
    )]
    pub proactive: Proactive,
    #[serde(default)]
    #[schemars(title = "三、收到和处理政府信息公开申请情况", description = "第三部分表格：每行按六类申请人分列。")]
    pub applications: Applications,
    #[serde(default)]
    #[schemars(title = "四、政府信息公开行政复议、行政诉讼情况", description = "第四部分表格：行政复议、未经复议直接起诉、复议后起诉。")]
    pub reviews_and_lawsuits: ReviewsAndLawsuits,
    #[serde(default)]
    #[schemars(title = "五、存在的主要问题及改进情况", description = "第五部分（Markdown，必填内容）。")]
    pub problems: String,
    #[serde(default)]
    #[schemars(title = "六、其他需要报告的事项", description = "第六部分（Markdown，必填内容，如收取信息处理费情况）。")]
    pub other_matters: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(title = "相关链接", description = "印在第六部分之后的链接，如图解、解读。")]
    pub links: Vec<Link>,
}

/// Who publishes the report, for which year, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    #[schemars(title = "机关名称", description = "发布报告的行政机关全称，如“绥中县人民政府”。", length(min = 1))]
    pub agency: String,
    #[schemars(title = "统计年度", description = "报告所统计的年度（公历年），如 2023。", range(min = 2008, max = 2100))]
    pub year: u16,
    #[serde(default)]
    #[schemars(
        title = "机关类别",
        description = "government：本级人民政府（3月31日前公布）；department：政府部门（默认，1月31日前公布）。"
    )]
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(title = "报告标题", description = "省略时为“机关名称+年度+政府信息公开工作年度报告”。", length(min = 1))]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(title = "发布日期", description = "报告发布日期，格式 YYYY-MM-DD。", regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(title = "来源", description = "发布单位，如“县政府办公室”。")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(title = "责任编辑", description = "网页上署名的责任编辑。")]
    pub editor: Option<String>,
}

/// 本级政府 or 政府部门: decides the publication deadline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    // 本级人民政府：3月31日前公布。 (Plain comments: doc comments would turn the
    // schema's `enum` into a `oneOf` of constants, which editors complete less well.)
    Government,
    // 县级以上人民政府部门：1月31日前公布。
    #[default]
    Department,
}

/// Part 一: prose, optionally in numbered sub-sections.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Overview {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(title = "引言", description = "小节之前的总述（Markdown）。")]
    pub intro: Option<String>,
    #[serde(default)]
    #[schemars(title = "小节", description = "按顺序自动编号为（一）（二）……")]
    pub sections: Vec<Section>,
}

/// One numbered sub-section of part 一.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    #[schemars(title = "小节标题", description = "不含编号，如“主动公开方面”。", length(min = 1))]
    pub title: String,
    #[serde(default)]
    #[schemars(title = "小节正文", description = "Markdown，可用 {{ … }} 引用数据。")]
    pub body: String,
}

/// A link printed after part 六.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    #[schemars(title = "链接标题", length(min = 1))]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(title = "网址", description = "http(s) 地址；省略时只印标题。", regex(pattern = r"^https?://\S+$"))]
    pub url: Option<String>,
}

/// Table A (part 二).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proactive {
    #[serde(default)]
    #[schemars(title = "规章", description = "第二十条第（一）项：规章的本年制发、本年废止、现行有效件数。")]
    pub rules: Documents,
    #[serde(default)]
    #[schemars(title = "行政规范性文件", description = "第二十条第（一）项：行政规范性文件的本年制发、本年废止、现行有效件数。")]
    pub normative_documents: Documents,
    #[serde(default)]
    #[schemars(title = "行政许可", description = "第二十条第（五）项：本年处理决定数量。")]
    pub licensing: Count,
    #[serde(default)]
    #[schemars(title = "行政处罚", description = "第二十条第（六）项：本年处理决定数量。")]
    pub punishment: Count,
    #[serde(default)]
    #[schemars(title = "行政强制", description = "第二十条第（六）项：本年处理决定数量。")]
    pub enforcement: Count,
    #[serde(default)]
    #[schemars(
        title = "行政事业性收费",
        description = "第二十条第（八）项：本年收费金额（单位：万元），可带小数。",
        range(min = 0.0, max = 1.0e12)
    )]
    pub fees: f64,
}

/// 本年制发件数 · 本年废止件数 · 现行有效件数.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Documents {
    #[serde(default)]
    #[schemars(title = "本年制发件数")]
    pub issued: Count,
    #[serde(default)]
    #[schemars(title = "本年废止件数")]
    pub repealed: Count,
    #[serde(default)]
    #[schemars(title = "现行有效件数")]
    pub in_force: Count,
}

/// Table B (part 三).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Applications {
    #[serde(default)]
    #[schemars(title = "一、本年新收政府信息公开申请数量")]
    pub received: Row,
    #[serde(default)]
    #[schemars(title = "二、上年结转政府信息公开申请数量")]
    pub carried_over: Row,
    #[serde(default)]
    #[schemars(title = "三、本年度办理结果")]
    pub results: Results,
    #[serde(default)]
    #[schemars(title = "四、结转下年度继续办理")]
    pub carried_forward: Row,
}

/// One row of table B: the six applicant columns and an optional stated total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "一行数据：按六类申请人分列；省略的列为 0；总计由 reportgen 计算。")]
pub struct Row {
    #[serde(default)]
    #[schemars(title = "自然人")]
    pub natural_person: Count,
    #[serde(default)]
    #[schemars(title = "法人或其他组织·商业企业")]
    pub commercial_enterprise: Count,
    #[serde(default)]
    #[schemars(title = "法人或其他组织·科研机构")]
    pub research_institution: Count,
    #[serde(default)]
    #[schemars(title = "法人或其他组织·社会公益组织")]
    pub social_welfare_org: Count,
    #[serde(default)]
    #[schemars(title = "法人或其他组织·法律服务机构")]
    pub legal_service_org: Count,
    #[serde(default)]
    #[schemars(title = "法人或其他组织·其他")]
    pub other_org: Count,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(title = "总计（所载）", description = "可不填：由 reportgen 计算。填写时（如导入已发布的报告）须等于六列之和。")]
    pub total: Option<Count>,
}

/// 三、本年度办理结果: the 21 result rows and the stated （七）总计.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Results {
    #[serde(default)]
    #[schemars(title = "（一）予以公开")]
    pub disclosed: Row,
    #[serde(default)]
    #[schemars(title = "（二）部分公开", description = "区分处理的，只计这一情形，不计其他情形。")]
    pub partially_disclosed: Row,
    #[serde(default)]
    #[schemars(title = "（三）不予公开")]
    pub withheld: Withheld,
    #[serde(default)]
    #[schemars(title = "（四）无法提供")]
    pub unavailable: Unavailable,
    #[serde(default)]
    #[schemars(title = "（五）不予处理")]
    pub not_processed: NotProcessed,
    #[serde(default)]
    #[schemars(title = "（六）其他处理")]
    pub other: OtherHandling,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(title = "（七）总计（所载）", description = "可不填：由 reportgen 计算。填写时须等于（一）至（六）各行之和。")]
    pub total: Option<Row>,
}

/// （三）不予公开.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Withheld {
    #[serde(default)]
    #[schemars(title = "1.属于国家秘密")]
    pub state_secret: Row,
    #[serde(default)]
    #[schemars(title = "2.其他法律行政法规禁止公开")]
    pub prohibited_by_law: Row,
    #[serde(default)]
    #[schemars(title = "3.危及“三安全一稳定”")]
    pub endangers_security_stability: Row,
    #[serde(default)]
    #[schemars(title = "4.保护第三方合法权益")]
    pub third_party_rights: Row,
    #[serde(default)]
    #[schemars(title = "5.属于三类内部事务信息")]
    pub internal_affairs: Row,
    #[serde(default)]
    #[schemars(title = "6.属于四类过程性信息")]
    pub process_information: Row,
    #[serde(default)]
    #[schemars(title = "7.属于行政执法案卷")]
    pub law_enforcement_file: Row,
    #[serde(default)]
    #[schemars(title = "8.属于行政查询事项")]
    pub administrative_query: Row,
}

/// （四）无法提供.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unavailable {
    #[serde(default)]
    #[schemars(title = "1.本机关不掌握相关政府信息")]
    pub not_held: Row,
    #[serde(default)]
    #[schemars(title = "2.没有现成信息需要另行制作")]
    pub needs_creation: Row,
    #[serde(default)]
    #[schemars(title = "3.补正后申请内容仍不明确")]
    pub unclear_after_correction: Row,
}

/// （五）不予处理.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotProcessed {
    #[serde(default)]
    #[schemars(title = "1.信访举报投诉类申请")]
    pub petition_or_complaint: Row,
    #[serde(default)]
    #[schemars(title = "2.重复申请")]
    pub duplicate: Row,
    #[serde(default)]
    #[schemars(title = "3.要求提供公开出版物")]
    pub publication: Row,
    #[serde(default)]
    #[schemars(title = "4.无正当理由大量反复申请")]
    pub excessive_repeated: Row,
    #[serde(default)]
    #[schemars(title = "5.要求行政机关确认或重新出具已获取信息")]
    pub confirm_or_reissue: Row,
}

/// （六）其他处理.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OtherHandling {
    #[serde(default)]
    #[schemars(title = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")]
    pub overdue_correction: Row,
    #[serde(default)]
    #[schemars(title = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")]
    pub unpaid_fee: Row,
    #[serde(default)]
    #[schemars(title = "3.其他")]
    pub other: Row,
}

/// Table C (part 四).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewsAndLawsuits {
    #[serde(default)]
    #[schemars(title = "行政复议")]
    pub review: Outcomes,
    #[serde(default)]
    #[schemars(title = "行政诉讼·未经复议直接起诉")]
    pub lawsuit_direct: Outcomes,
    #[serde(default)]
    #[schemars(title = "行政诉讼·复议后起诉")]
    pub lawsuit_after_review: Outcomes,
}

/// 结果维持 · 结果纠正 · 其他结果 · 尚未审结 (· 总计).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcomes {
    #[serde(default)]
    #[schemars(title = "结果维持")]
    pub upheld: Count,
    #[serde(default)]
    #[schemars(title = "结果纠正")]
    pub corrected: Count,
    #[serde(default)]
    #[schemars(title = "其他结果")]
    pub other: Count,
    #[serde(default)]
    #[schemars(title = "尚未审结")]
    pub pending: Count,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(title = "总计（所载）", description = "可不填：由 reportgen 计算。填写时须等于维持、纠正、其他、尚未审结之和。")]
    pub total: Option<Count>,
}

impl Report {
    /// The title as printed: `meta.title`, or 机关名称 + 年度 + 政府信息公开工作年度报告.
    pub fn title(&self) -> String {
        match &self.meta.title {
            Some(t) => t.clone(),
            None => format!("{}{}年政府信息公开工作年度报告", self.meta.agency, self.meta.year),
        }
    }
}
