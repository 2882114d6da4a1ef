import { Table, Typography } from 'antd';
import type { ChildStatistics, RegistryStatistics } from '@shiliuzi/shared/statistics';
import { percent } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';

export interface ChildStatisticsTableProps {
  stats: RegistryStatistics;
  onOpen: (orgUnitId: string) => void;
}

/** Figures by direct child org unit, with the totals of the selected unit as the last row. */
export function ChildStatisticsTable({ stats, onOpen }: ChildStatisticsTableProps) {
  const c = t.dashboard.columns;
  const share = (row: { residents: number; minorityResidents: number }) =>
    row.residents === 0 ? t.common.none : percent(row.minorityResidents / row.residents);
  return (
    <Table<ChildStatistics>
      rowKey={(row) => row.orgUnitId ?? 'own'}
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      dataSource={stats.byChild}
      locale={{ emptyText: t.dashboard.noChildren }}
      columns={[
        {
          key: 'name',
          title: c.name,
          render: (_, row) =>
            row.orgUnitId ? (
              <Typography.Link onClick={() => onOpen(row.orgUnitId!)}>{row.name}</Typography.Link>
            ) : (
              t.dashboard.ownRecords
            ),
        },
        { key: 'residents', title: c.residents, align: 'right', dataIndex: 'residents' },
        { key: 'households', title: c.households, align: 'right', dataIndex: 'households' },
        { key: 'minority', title: c.minorityResidents, align: 'right', dataIndex: 'minorityResidents' },
        { key: 'share', title: c.share, align: 'right', render: (_, row) => share(row) },
        { key: 'floating', title: c.floatingResidents, align: 'right', dataIndex: 'floatingResidents' },
      ]}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0}>
            <Typography.Text strong>{t.dashboard.total}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">
            <Typography.Text strong>{stats.residents}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right">
            <Typography.Text strong>{stats.households}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={3} align="right">
            <Typography.Text strong>{stats.minorityResidents}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={4} align="right">
            <Typography.Text strong>{share(stats)}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={5} align="right">
            <Typography.Text strong>{stats.floatingResidents}</Typography.Text>
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}
