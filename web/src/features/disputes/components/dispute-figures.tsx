import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useDisputePetitionFigures } from '@/features/disputes/api.ts';
import { percent } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';

/** This year's dispute figures of the selected org subtree: found, resolved and the rate, with its formula. */
export function DisputeFigures({ orgUnitId }: { orgUnitId: string | undefined }) {
  const figures = useDisputePetitionFigures(orgUnitId);
  const f = t.disputes.figures;
  const d = figures.data?.disputes;
  return (
    <Card size="small" style={{ marginBottom: 12 }} loading={figures.isPending}>
      <Row gutter={16}>
        <Col xs={8} data-testid="dispute-found">
          <Statistic title={f.found} value={d?.found ?? 0} suffix={f.unit} />
        </Col>
        <Col xs={8} data-testid="dispute-resolved">
          <Statistic title={f.resolved} value={d?.resolved ?? 0} suffix={f.unit} />
        </Col>
        <Col xs={8}>
          <Statistic title={f.rate} value={percent(d?.resolutionRate ?? 0, 0)} />
        </Col>
      </Row>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {f.formula}
      </Typography.Text>
    </Card>
  );
}
