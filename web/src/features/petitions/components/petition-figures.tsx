import { Card, Col, Row, Statistic, Typography } from 'antd';
import type { PetitionFigures as Figures } from '@shiliuzi/shared/casework-petitions';
import { usePetitionFigures } from '@/features/petitions/api.ts';
import { percent } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';

function FigureCard({
  title,
  testId,
  figures,
  loading,
}: {
  title: string;
  testId: string;
  figures: Figures | undefined;
  loading: boolean;
}) {
  const f = t.petitions.figures;
  return (
    <Card size="small" title={title} loading={loading} data-testid={testId}>
      <Row gutter={[8, 8]}>
        <Col xs={8} md={4}>
          <Statistic title={f.received} value={figures?.received ?? 0} suffix={f.unit} />
        </Col>
        <Col xs={8} md={4} data-testid={`${testId}-handled`}>
          <Statistic title={f.handled} value={figures?.handled ?? 0} suffix={f.unit} />
        </Col>
        <Col xs={8} md={4}>
          <Statistic title={f.inProgress} value={figures?.inProgress ?? 0} suffix={f.unit} />
        </Col>
        <Col xs={8} md={4}>
          <Statistic title={f.other} value={figures?.otherOutcomes ?? 0} suffix={f.unit} />
        </Col>
        <Col xs={8} md={4}>
          <Statistic title={f.rate} value={percent(figures?.completionRate ?? 0, 0)} />
        </Col>
        <Col xs={8} md={4}>
          <Statistic title={f.averageDays} value={figures?.averageHandlingDays ?? t.common.none} />
        </Col>
      </Row>
    </Card>
  );
}

/** This year's petition and hotline figures of the selected org subtree, with the 办结率 formula. */
export function PetitionFigures({ orgUnitId }: { orgUnitId: string | undefined }) {
  const figures = usePetitionFigures(orgUnitId);
  return (
    <div style={{ marginBottom: 12 }}>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <FigureCard
            title={t.petitions.groups.petitions}
            testId="petitions"
            figures={figures.data?.petitions}
            loading={figures.isPending}
          />
        </Col>
        <Col xs={24} xl={12}>
          <FigureCard
            title={t.petitions.groups.hotline}
            testId="hotline"
            figures={figures.data?.hotline}
            loading={figures.isPending}
          />
        </Col>
      </Row>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t.petitions.figures.formula}
      </Typography.Text>
    </div>
  );
}
