import { Table, Typography } from 'antd';
import type { RetentionReportItem } from '@shiliuzi/shared/retention';
import { retentionLabels } from '@shiliuzi/shared/retention-labels.zh-CN';
import { t } from '@/locales/zh-CN/index.ts';

const r = t.retention.report;

/** What one run did (or, dry, would do) to each record type: counts and the cutoff day. */
export function RetentionReport({ items }: { items: RetentionReportItem[] }) {
  const count = (n: number) => (n === 0 ? <Typography.Text type="secondary">0</Typography.Text> : n);
  return (
    <Table<RetentionReportItem>
      size="small"
      rowKey="recordType"
      pagination={false}
      dataSource={items}
      scroll={{ x: 720 }}
      columns={[
        {
          key: 'recordType',
          title: r.recordType,
          render: (_, item) => retentionLabels.recordTypes[item.recordType],
        },
        {
          key: 'action',
          title: r.action,
          width: 90,
          render: (_, item) => retentionLabels.actions[item.action],
        },
        { key: 'cutoff', title: r.cutoff, dataIndex: 'cutoff', width: 170 },
        { key: 'anonymised', title: r.anonymised, width: 80, render: (_, item) => count(item.anonymised) },
        { key: 'deleted', title: r.deleted, width: 80, render: (_, item) => count(item.deleted) },
        {
          key: 'filesRemoved',
          title: r.filesRemoved,
          width: 110,
          render: (_, item) => count(item.filesRemoved),
        },
      ]}
    />
  );
}
