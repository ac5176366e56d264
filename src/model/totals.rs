//! Computed totals. Counts are bounded by [`MAX_COUNT`](super::MAX_COUNT), so no sum of
//! a table can come near `u64::MAX`; the additions saturate all the same, so a report
//! built by hand through the library can never make them panic or wrap.

use super::{Applications, Count, Outcomes, Report, Row};

fn sum<const N: usize>(cells: [u64; N]) -> u64 {
    cells.into_iter().fold(0, u64::saturating_add)
}

impl Row {
    /// The sum of the six applicant columns.
    pub fn sum(&self) -> u64 {
        sum(self.cells())
    }

    /// A row built from six cells, with its computed total.
    pub fn from_cells(c: [u64; 6]) -> Row {
        let mut row = Row {
            natural_person: Count(c[0]),
            commercial_enterprise: Count(c[1]),
            research_institution: Count(c[2]),
            social_welfare_org: Count(c[3]),
            legal_service_org: Count(c[4]),
            other_org: Count(c[5]),
            total: None,
        };
        row.total = Some(Count(row.sum()));
        row
    }

    fn filled(&self) -> Row {
        Row::from_cells(self.cells())
    }
}

impl Outcomes {
    /// 维持 + 纠正 + 其他 + 尚未审结.
    pub fn sum(&self) -> u64 {
        sum(self.cells())
    }

    fn filled(&self) -> Outcomes {
        Outcomes { total: Some(Count(self.sum())), ..*self }
    }
}

impl Applications {
    /// （七）总计 as computed: per column, the sum of the 21 result rows.
    pub fn results_total(&self) -> Row {
        let mut cols = [0u64; 6];
        for row in self.result_rows() {
            for (acc, v) in cols.iter_mut().zip(row.cells()) {
                *acc = acc.saturating_add(v);
            }
        }
        Row::from_cells(cols)
    }
}

impl Report {
    /// The report with every total computed and filled in (stated totals replaced):
    /// what the outputs print and what `{{ … }}` in prose sees.
    pub fn with_totals(&self) -> Report {
        let mut r = self.clone();
        let a = &mut r.applications;
        a.received = a.received.filled();
        a.carried_over = a.carried_over.filled();
        a.carried_forward = a.carried_forward.filled();
        for row in a.result_rows_mut() {
            *row = row.filled();
        }
        let total = a.results_total();
        a.results.total = Some(total);
        let c = &mut r.reviews_and_lawsuits;
        c.review = c.review.filled();
        c.lawsuit_direct = c.lawsuit_direct.filled();
        c.lawsuit_after_review = c.lawsuit_after_review.filled();
        r
    }
}

impl Applications {
    /// Every row's six cells and total, computed (stated totals ignored): what two
    /// versions of a table must agree on to hold the same figures.
    pub fn with_totals_view(&self) -> Vec<[u64; 7]> {
        let mut rows: Vec<&Row> = vec![&self.received, &self.carried_over];
        rows.extend(self.result_rows());
        rows.push(&self.carried_forward);
        rows.into_iter()
            .map(|r| {
                let c = r.cells();
                [c[0], c[1], c[2], c[3], c[4], c[5], r.sum()]
            })
            .collect()
    }
}
