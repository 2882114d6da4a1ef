import { Card, Col, Row, Statistic, Typography } from 'antd';
import { Link } from 'react-router';
import { formatFen } from '@shiliuzi/shared/casework-visits';
import { useCaseworkStatistics } from '@/features/visits/api.ts';
import { percent } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';

/** This year's visits, the must-visits still due and overdue, pairing coverage and compliance, assistance. */
export function CaseworkFiguresCard({ orgUnitId }: { orgUnitId: string | undefined }) {
  const figures = useCaseworkStatistics(orgUnitId);
  const s = figures.data;
  if (!s) return null;
  const c = t.casework;
  const cards: [string, string | number, string?][] = [
    [c.visits.title, s.visits.total],
    [c.mustVisitStates.open, s.mustVisits.open],
    [c.mustVisitStates.overdue, s.mustVisits.overdue],
    [c.pairings.coverage, percent(s.pairings.coverage), c.pairings.coverageFormula],
    [c.pairings.compliance, percent(s.pairings.compliance), c.pairings.complianceFormula],
    [c.assistance.title, c.assistance.totals(s.assistance.count, formatFen(s.assistance.amountFen))],
  ];
  return (
    <Card
      size="small"
      title={c.figures.title}
      extra={<Link to={`/must-visits?org=${orgUnitId}&state=overdue`}>{c.mustVisits.title}</Link>}
      style={{ marginTop: 12 }}
    >
      <Row gutter={[12, 12]}>
        {cards.map(([title, value, formula]) => (
          <Col key={title} xs={12} sm={8} lg={4}>
            <Statistic
              title={title}
              value={value}
              styles={{
                content:
                  title === c.mustVisitStates.overdue && s.mustVisits.overdue > 0 ? { color: '#cf1322' } : {},
              }}
            />
            {formula && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formula}
              </Typography.Text>
            )}
          </Col>
        ))}
      </Row>
    </Card>
  );
}
