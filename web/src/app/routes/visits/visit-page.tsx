import { Button, Card, Col, Descriptions, Result, Row, Space, Spin, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { formatFen, type Visit } from '@shiliuzi/shared/casework-visits';
import { canEditRegistry } from '@shiliuzi/shared/permissions';
import { useMe } from '@/features/auth/api.ts';
import { HistoryTimeline } from '@/features/history/components/history-timeline.tsx';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { useDeleteRestore, useVisit } from '@/features/visits/api.ts';
import { VisitPhotoGallery } from '@/features/visits/components/visit-photo-picker.tsx';
import { t } from '@/locales/zh-CN/index.ts';
import { DeleteOrRestore } from '@/components/delete-or-restore.tsx';

/** One visit with its history; changed, deleted (after a confirmation) or restored here. */
function VisitPage() {
  const { id } = useParams<{ id: string }>();
  const { orgUnitId } = useSelectedOrg();
  const me = useMe();
  const visit = useVisit(id);
  const { remove, restore } = useDeleteRestore<Visit>('visits', id ?? '');
  if (visit.isPending) return <Spin />;
  if (visit.isError) return <Result status="warning" title={visit.error.message} />;
  const v = visit.data;
  const f = t.casework.visits.fields;
  const canEdit = me.data ? canEditRegistry(me.data.roles) : false;
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4}>
          {t.casework.visits.detailTitle}：{v.visitedOn} {t.casework.visitPurposes[v.purpose]}{' '}
          {v.deletedAt && <Tag>{t.common.deleted}</Tag>}
        </Typography.Title>
        {canEdit && (
          <Space>
            {!v.deletedAt && (
              <Link to={`/visits/${v.id}/edit?org=${orgUnitId}`}>
                <Button>{t.common.edit}</Button>
              </Link>
            )}
            <DeleteOrRestore
              deleted={v.deletedAt !== null}
              onDelete={() => remove.mutateAsync(v.version)}
              onRestore={() => restore.mutateAsync(v.version)}
            />
          </Space>
        )}
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card size="small">
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={f.visitedOn}>{v.visitedOn}</Descriptions.Item>
              <Descriptions.Item label={f.purpose}>{t.casework.visitPurposes[v.purpose]}</Descriptions.Item>
              <Descriptions.Item label={f.visitors}>
                {v.visitors.map((u) => u.displayName).join('、') || t.common.none}
              </Descriptions.Item>
              <Descriptions.Item label={f.residents}>
                {v.residents.length === 0
                  ? t.common.none
                  : v.residents.map((r) => (
                      <Link key={r.id} to={`/residents/${r.id}?org=${orgUnitId}`} style={{ marginRight: 8 }}>
                        {r.name}
                      </Link>
                    ))}
              </Descriptions.Item>
              <Descriptions.Item label={f.households}>
                {v.households.length === 0
                  ? t.common.none
                  : v.households.map((h) => (
                      <Link key={h.id} to={`/households/${h.id}?org=${orgUnitId}`} style={{ marginRight: 8 }}>
                        {h.label || h.id.slice(0, 8)}
                      </Link>
                    ))}
              </Descriptions.Item>
              <Descriptions.Item label={f.location}>{v.location ?? t.common.none}</Descriptions.Item>
              <Descriptions.Item label={f.gifts}>{v.gifts ?? t.common.none}</Descriptions.Item>
              <Descriptions.Item label={f.amountFen}>
                {v.amountFen === null ? t.common.none : formatFen(v.amountFen)}
              </Descriptions.Item>
              <Descriptions.Item label={f.fundSource}>
                {v.fundSource ? t.casework.fundSources[v.fundSource] : t.common.none}
              </Descriptions.Item>
              <Descriptions.Item label={f.notes}>{v.notes ?? t.common.none}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small" title={t.casework.visits.photos.label} style={{ marginTop: 16 }}>
            <VisitPhotoGallery visitId={v.id} photos={v.photos} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t.common.history}>
            <HistoryTimeline collection="visits" id={v.id} fieldLabels={f} />
          </Card>
        </Col>
      </Row>
    </>
  );
}

export { VisitPage as Component };
