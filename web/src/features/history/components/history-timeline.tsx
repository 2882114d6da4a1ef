import { Empty, Spin, Timeline, Typography } from 'antd';
import { useHistory, type HistoryCollection } from '@/features/history/api.ts';
import { formatDateTime } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';

export interface HistoryTimelineProps {
  collection: HistoryCollection;
  id: string;
  /** Chinese names of the record's fields, for the list of what changed. */
  fieldLabels: Record<string, string>;
}

function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  if (!before || !after) return [];
  return Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** Who changed the record, when, and which fields (values stay masked on the server). */
export function HistoryTimeline({ collection, id, fieldLabels }: HistoryTimelineProps) {
  const history = useHistory(collection, id);
  if (history.isPending) return <Spin size="small" />;
  if (history.isError) return <Typography.Text type="danger">{history.error.message}</Typography.Text>;
  if (history.data.length === 0) return <Empty description={t.common.historyEmpty} />;
  return (
    <Timeline
      items={[...history.data].reverse().map((entry) => {
        const fields = changedFields(entry.before, entry.after)
          .filter((key) => !['version', 'updatedAt'].includes(key))
          .map((key) => fieldLabels[key] ?? key);
        return {
          key: entry.id,
          color: entry.action === 'delete' ? 'red' : entry.action === 'create' ? 'green' : 'blue',
          content: (
            <div>
              <Typography.Text strong>{t.common.changeActions[entry.action]}</Typography.Text>{' '}
              <Typography.Text type="secondary">
                {entry.actorName} · {formatDateTime(entry.at)}
              </Typography.Text>
              {fields.length > 0 && (
                <div>
                  <Typography.Text type="secondary">
                    {t.common.changedFields}：{fields.join('、')}
                  </Typography.Text>
                </div>
              )}
            </div>
          ),
        };
      })}
    />
  );
}
