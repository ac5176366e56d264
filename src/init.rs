//! `reportgen init`: a complete data-file skeleton with every row present at 0 and
//! short Chinese comments, so an author only fills in figures.

use crate::model::Kind;
use crate::model::labels::{APPLICANTS, CARRIED_FORWARD, CARRIED_OVER, RECEIVED, RESULT_ROWS};

/// What the skeleton is for.
#[derive(Debug, Clone)]
pub struct Skeleton {
    /// 机关名称.
    pub agency: String,
    /// 统计年度.
    pub year: u16,
    /// 本级政府 or 部门.
    pub kind: Kind,
    /// The `$schema` reference for the yaml-language-server modeline.
    pub schema_ref: String,
}

/// The sub-sections of part 一 in the skeleton.
pub const SECTIONS: [&str; 5] = ["主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障"];

/// The skeleton's placeholder texts, each standing for content an author must write.
/// `check` warns (`placeholder`) while any of them is still in a prose field.
pub fn placeholders() -> Vec<String> {
    let mut p = vec!["（总述）".to_string()];
    p.extend(SECTIONS.iter().map(|t| format!("（{t}情况）")));
    p.push("（存在的主要问题及改进情况）".into());
    p.push("（其他需要报告的事项）".into());
    p
}

/// A YAML string literal (double-quoted, escaped) for a value typed by the user.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn row_line(indent: usize, key: &str, label: &str) -> String {
    let cells: Vec<String> = APPLICANTS.iter().map(|c| format!("{}: 0", c.key)).collect();
    format!("{:indent$}{key}: {{ {} }}  # {label}\n", "", cells.join(", "))
}

/// The skeleton's text.
pub fn skeleton(s: &Skeleton) -> String {
    let kind = match s.kind {
        Kind::Government => "government   # 本级人民政府：次年3月31日前公布",
        Kind::Department => "department   # 政府部门：次年1月31日前公布（government 为本级人民政府）",
    };
    let mut y = String::new();
    y.push_str(&format!("# yaml-language-server: $schema={}\n", s.schema_ref));
    y.push_str(&format!("# {}{}年政府信息公开工作年度报告 —— 数据文件。\n", s.agency, s.year));
    y.push_str("# 只需填写数字和文字；各表的总计由 reportgen 计算。检查：reportgen check 本文件\n");
    y.push_str("meta:\n");
    y.push_str(&format!("  agency: {}   # 机关名称\n", quoted(&s.agency)));
    y.push_str(&format!("  year: {}   # 统计年度\n", s.year));
    y.push_str(&format!("  kind: {kind}\n"));
    y.push_str("  # published: YYYY-MM-DD   # 发布日期\n  # source: 办公室   # 来源\n  # editor: 姓名   # 责任编辑\n");
    y.push_str("# preamble: |   # 导语；省略时按统计年度自动生成\n");
    y.push_str("overview:   # 一、总体情况\n  intro: |\n    （总述）\n  sections:   # 自动编号为（一）（二）……\n");
    for t in SECTIONS {
        y.push_str(&format!("    - title: {t}\n      body: |\n        （{t}情况）\n"));
    }
    y.push_str("proactive:   # 二、主动公开政府信息情况\n");
    y.push_str("  rules: { issued: 0, repealed: 0, in_force: 0 }   # 规章：本年制发、本年废止、现行有效\n");
    y.push_str("  normative_documents: { issued: 0, repealed: 0, in_force: 0 }   # 行政规范性文件\n");
    y.push_str("  licensing: 0     # 行政许可：本年处理决定数量\n");
    y.push_str("  punishment: 0    # 行政处罚\n");
    y.push_str("  enforcement: 0   # 行政强制\n");
    y.push_str("  fees: 0          # 行政事业性收费：本年收费金额（万元）\n");
    y.push_str("applications:   # 三、收到和处理政府信息公开申请情况（每行六列申请人）\n");
    y.push_str(&row_line(2, "received", RECEIVED.label));
    y.push_str(&row_line(2, "carried_over", CARRIED_OVER.label));
    y.push_str("  results:   # 三、本年度办理结果\n");
    let mut group = None;
    for def in RESULT_ROWS {
        let parts: Vec<&str> = def.path.trim_start_matches("/results/").split('/').collect();
        if parts.len() == 2 {
            if group != Some(parts[0]) {
                y.push_str(&format!("    {}:   # {}\n", parts[0], def.group.unwrap_or_default()));
                group = Some(parts[0]);
            }
            y.push_str(&row_line(6, parts[1], def.label));
        } else {
            y.push_str(&row_line(4, parts[0], def.label));
        }
    }
    y.push_str(&row_line(2, "carried_forward", CARRIED_FORWARD.label));
    y.push_str("reviews_and_lawsuits:   # 四、政府信息公开行政复议、行政诉讼情况\n");
    for (k, l) in [("review", "行政复议"), ("lawsuit_direct", "行政诉讼·未经复议直接起诉"), ("lawsuit_after_review", "行政诉讼·复议后起诉")]
    {
        y.push_str(&format!("  {k}: {{ upheld: 0, corrected: 0, other: 0, pending: 0 }}   # {l}：维持、纠正、其他、尚未审结\n"));
    }
    y.push_str("problems: |   # 五、存在的主要问题及改进情况（必填）\n  （存在的主要问题及改进情况）\n");
    y.push_str("other_matters: |   # 六、其他需要报告的事项（必填，如收取信息处理费情况）\n  （其他需要报告的事项）\n");
    y.push_str("# links:   # 相关链接，印在第六部分之后\n#   - title: 图解\n#     url: https://\n");
    y
}
