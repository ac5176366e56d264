//! The joint solver and the prose claims: a table whose run-together rows split in more
//! than one way leaves exactly the differing cells unknown; prose figures, in Arabic and
//! Chinese numerals, are claimed only where they clearly speak of a table cell.

use reportgen::Lang;
use reportgen::check::claims::{Target, claims, parse_number};
use reportgen::import::import_bytes;

/// A report text in page-text shape whose table B has the given rows (label → printed
/// figures); every other row is seven zeros.
fn report_text(rows: &[(&str, &str)]) -> String {
    let labels = [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（三）不予公开 1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4.保护第三方合法权益",
        "5.属于三类内部事务信息",
        "6.属于四类过程性信息",
        "7.属于行政执法案卷",
        "8.属于行政查询事项",
        "（四）无法提供 1.本机关不掌握相关政府信息",
        "2.没有现成信息需要另行制作",
        "3.补正后申请内容仍不明确",
        "（五）不予处理 1.信访举报投诉类申请",
        "2.重复申请",
        "3.要求提供公开出版物",
        "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
        "（七）总计",
        "四、结转下年度继续办理",
    ];
    let mut t = String::from(
        "测试局2023年政府信息公开工作年度报告\n一、总体情况\n概述。\n二、主动公开政府信息情况\n第二十条第（一）项\n\
         信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 0 0 0\n规范性文件 0 0 0\n行政许可 0\n行政处罚 0\n行政强制 0\n行政事业性收费 0\n\
         三、收到和处理政府信息公开申请情况\n",
    );
    for l in labels {
        let figures = rows.iter().find(|(k, _)| *k == l).map_or("0 0 0 0 0 0 0", |(_, f)| f);
        t.push_str(&format!("{l} {figures}\n"));
    }
    t.push_str("四、政府信息公开行政复议、行政诉讼情况\n0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n");
    t
}

/// `100100011` splits as 10,0,1,0,0,0 | 11 or as 1,0,0,10,0,0 | 11. Printed in both
/// （一） and （二）, the two rows can trade their splits without changing any column
/// sum: the whole system has two solutions, and exactly the cells that differ between
/// them (自然人, 科研机构, 社会公益组织 of both rows) are unknown; everything else is known.
#[test]
fn two_solutions_leave_exactly_the_differing_cells_unknown() {
    let text = report_text(&[
        ("一、本年新收政府信息公开申请数量", "11 0 1 10 0 0 22"),
        ("（一）予以公开", "100100011"),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "100100011"),
        ("（七）总计", "11 0 1 10 0 0 22"),
    ]);
    let imp = import_bytes("two.txt", text.as_bytes(), Lang::Zh).unwrap();
    let mut unknown: Vec<&str> = imp.unknown.iter().collect();
    unknown.sort();
    let mut want = vec![];
    for row in ["disclosed", "partially_disclosed"] {
        for col in ["natural_person", "research_institution", "social_welfare_org"] {
            want.push(format!("/applications/results/{row}/{col}"));
        }
    }
    want.sort();
    assert_eq!(unknown, want, "{:?}", imp.diagnostics);
    let d = &imp.report.applications.results.disclosed;
    assert_eq!((d.commercial_enterprise.0, d.legal_service_org.0, d.other_org.0, d.total.map(|t| t.0)), (0, 0, 0, Some(11)));
    // audit: no error is claimed; the row totals of the two rows could not be checked.
    let a = reportgen::audit::audit_bytes("two.txt", text.as_bytes(), None, Lang::Zh);
    assert_eq!(a.errors(), 0, "{:?}", a.diagnostics);
    assert_eq!(a.verdict, reportgen::audit::Verdict::Incomplete);
}

/// The same figures with the rows' other cells breaking the tie: one solution, all known.
#[test]
fn a_single_solution_of_the_whole_table_is_taken() {
    let text = report_text(&[
        ("一、本年新收政府信息公开申请数量", "20 0 2 0 0 0 22"),
        ("（一）予以公开", "100100011"),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "10 0 1 0 0 0 11"),
        ("（七）总计", "20 0 2 0 0 0 22"),
    ]);
    let imp = import_bytes("one.txt", text.as_bytes(), Lang::Zh).unwrap();
    assert!(imp.unknown.is_empty(), "{:?} {:?}", imp.unknown, imp.diagnostics);
    let d = &imp.report.applications.results.disclosed;
    assert_eq!(d.cells(), [10, 0, 1, 0, 0, 0]);
    assert!(!imp.diagnostics.iter().any(|d| d.is_error() || d.severity == reportgen::Severity::Warning), "{:?}", imp.diagnostics);
}

#[test]
fn chinese_numerals_read() {
    for (s, n) in [("十二", 12), ("两百零三", 203), ("一千零五十", 1050), ("二十", 20), ("十", 10), ("一万二千", 12000), ("57", 57)]
    {
        assert_eq!(parse_number(s), Some(n), "{s}");
    }
    assert_eq!(parse_number(""), None);
}

#[test]
fn prose_claims_only_what_clearly_speaks_of_a_cell() {
    let got = |t: &str| claims(t).into_iter().map(|c| (c.target, c.value)).collect::<Vec<_>>();
    assert_eq!(got("全年共收到政府信息公开申请十二件，均已按时答复。"), [(Target::Received, 12)]);
    assert_eq!(got("全年共收到政府信息公开申请1,234件。"), [(Target::Received, 1234)]);
    assert_eq!(got("上年结转政府信息公开申请3件。"), [(Target::CarriedOver, 3)]);
    assert_eq!(
        got("本年制发行政规范性文件1件，废止12件，现行有效二十七件。"),
        [
            (Target::Documents("normative_documents", "issued"), 1),
            (Target::Documents("normative_documents", "repealed"), 12),
            (Target::Documents("normative_documents", "in_force"), 27)
        ]
    );
    assert_eq!(got("全年发生政府信息公开行政复议2件。"), [(Target::Reviews, 2)]);
    // Not claims.
    for t in [
        "全区共收到政府信息公开申请120件。",
        "受理政府信息公开申请5件。",
        "全年未收到政府信息公开申请。",
        "主动公开政府信息2471条。",
        "制发规章和规范性文件共5件。",
        "全年共收到政府信息公开申请{{ applications.received.total }}件。",
        "2022年收到群众来信15件。",
    ] {
        assert_eq!(got(t), [], "{t}");
    }
}

/// `prose-figure` in `check`: the prose stating a different figure from the table is a
/// warning at the figure in the prose; the right figure, in Chinese numerals, or a
/// citation of the data, is none.
#[test]
fn prose_figure_in_check() {
    let base = std::fs::read_to_string(crate::root().join("examples/suizhong-2023.yaml")).unwrap();
    let with = |sentence: &str| {
        let yaml = base.replacen(
            "    - title: 依申请公开方面\n      body: |\n",
            &format!("    - title: 依申请公开方面\n      body: |\n        {sentence}\n\n"),
            1,
        );
        assert_ne!(yaml, base);
        reportgen::check_bytes("p.yaml", yaml.as_bytes(), &reportgen::Options::default())
    };
    let received = with("").report.unwrap().applications.received.sum();
    assert_eq!(received, 57);
    let c = with("全年共收到政府信息公开申请五十八件。");
    let pf: Vec<_> = c.diagnostics.iter().filter(|d| d.code == reportgen::Code::ProseFigure).collect();
    assert_eq!(pf.len(), 1, "{:?}", c.diagnostics);
    assert!(pf[0].message.contains("58") && pf[0].message.contains("57"), "{}", pf[0].message);
    assert!(!pf[0].is_error());
    for ok in [
        "全年共收到政府信息公开申请五十七件。",
        "全年共收到政府信息公开申请57件。",
        "全年共收到政府信息公开申请{{ applications.received.total }}件。",
    ] {
        let c = with(ok);
        assert!(!c.diagnostics.iter().any(|d| d.code == reportgen::Code::ProseFigure), "{ok}: {:?}", c.diagnostics);
    }
}
