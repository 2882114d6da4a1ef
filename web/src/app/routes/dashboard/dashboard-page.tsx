import { DownloadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Grid,
  Result,
  Row,
  Skeleton,
  Statistic,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Chart } from '@/components/chart.tsx';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { downloadBasicReport } from '@/features/reports/api.ts';
import { useStatistics } from '@/features/statistics/api.ts';
import {
  agePyramidOption,
  ethnicCompositionOption,
  minorityByChildOption,
} from '@/features/statistics/chart-options.ts';
import { ChildStatisticsTable } from '@/features/statistics/components/child-statistics-table.tsx';
import { CaseworkFiguresCard } from '@/features/visits/components/casework-figures-card.tsx';
import { percent } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';

/** 统计: the registry figures of the selected org unit, as cards, charts and a table by child unit. */
function DashboardPage() {
  const { message } = App.useApp();
  const { orgUnitId, setOrgUnitId } = useSelectedOrg();
  const [params, setParams] = useSearchParams();
  const to = params.get('to') ?? undefined;
  const stats = useStatistics(orgUnitId, to);
  const compact = Grid.useBreakpoint().md === false;
  const [downloading, setDownloading] = useState(false);
  const options = useMemo(
    () =>
      stats.data && {
        ethnic: ethnicCompositionOption(stats.data, compact),
        byChild: minorityByChildOption(stats.data),
        pyramid: agePyramidOption(stats.data),
      },
    [stats.data, compact],
  );
  const d = t.dashboard;

  const handleDownload = async () => {
    if (!orgUnitId) return;
    setDownloading(true);
    try {
      message.success(t.reports.done(await downloadBasicReport(orgUnitId, to)));
    } catch (error) {
      message.error(error instanceof Error ? error.message : t.reports.failed);
    } finally {
      setDownloading(false);
    }
  };

  if (stats.isError) return <Result status="warning" title={stats.error.message} />;
  const s = stats.data;
  const cards = s
    ? [
        { key: 'residents', title: d.cards.residents, value: s.residents, suffix: d.units.person },
        { key: 'households', title: d.cards.households, value: s.households, suffix: d.units.household },
        {
          key: 'minorityResidents',
          title: d.cards.minorityResidents,
          value: s.minorityResidents,
          suffix: d.units.person,
        },
        { key: 'minorityShare', title: d.cards.minorityShare, value: percent(s.minorityShare, 2) },
        {
          key: 'minorityGroups',
          title: d.cards.minorityGroups,
          value: s.minorityGroups,
          suffix: d.units.group,
        },
        {
          key: 'interEthnicCouples',
          title: d.cards.interEthnicCouples,
          value: s.interEthnicCouples,
          suffix: d.units.couple,
        },
        {
          key: 'floatingResidents',
          title: d.cards.floatingResidents,
          value: s.floatingResidents,
          suffix: d.units.person,
        },
      ]
    : [];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {s ? `${s.orgName} · ${d.title}` : d.title}
        </Typography.Title>
        <Flex gap={8} wrap>
          <DatePicker
            aria-label={t.reports.asOf}
            allowClear
            value={to ? dayjs(to) : null}
            placeholder={s ? d.asOf(s.asOf) : t.reports.asOf}
            onChange={(value) =>
              setParams((current) => {
                const next = new URLSearchParams(current);
                if (value) next.set('to', value.format('YYYY-MM-DD'));
                else next.delete('to');
                return next;
              })
            }
          />
          <Button icon={<DownloadOutlined />} loading={downloading} onClick={() => void handleDownload()}>
            {d.downloadReport}
          </Button>
        </Flex>
      </Flex>
      <Row gutter={[12, 12]}>
        {s
          ? cards.map((card) => (
              <Col key={card.key} xs={12} sm={8} lg={6} flex="1 1 140px">
                <Card size="small" data-testid={`stat-${card.key}`}>
                  <Statistic title={card.title} value={card.value} suffix={card.suffix} />
                </Card>
              </Col>
            ))
          : Array.from({ length: 7 }, (_, i) => (
              <Col key={i} xs={12} sm={8} lg={6} flex="1 1 140px">
                <Card size="small">
                  <Skeleton active paragraph={false} />
                </Card>
              </Col>
            ))}
      </Row>
      {s && options && (
        <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
          <Col xs={24} lg={12}>
            <Card size="small" title={d.ethnicComposition}>
              <Chart option={options.ethnic} label={d.ethnicComposition} />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={d.agePyramid}>
              <Chart option={options.pyramid} label={d.agePyramid} />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={d.minorityByChild}>
              <Chart option={options.byChild} label={d.minorityByChild} />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title={d.byChildTable}>
              <ChildStatisticsTable stats={s} onOpen={setOrgUnitId} />
            </Card>
          </Col>
        </Row>
      )}
      <CaseworkFiguresCard orgUnitId={orgUnitId} />
    </>
  );
}

export { DashboardPage as Component };
