import { Button, Card, Col, Descriptions, Result, Row, Space, Spin, Tag, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { canEditRegistry } from '@shiliuzi/shared/permissions';
import { useMe } from '@/features/auth/api.ts';
import { HistoryTimeline } from '@/features/history/components/history-timeline.tsx';
import { useHousehold } from '@/features/households/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { useOrgUnit } from '@/features/org-units/api.ts';
import { useDeleteResident, useResident, useRestoreResident } from '@/features/residents/api.ts';
import { MaskedValue } from '@/features/residents/components/masked-value.tsx';
import { ResidentFlags } from '@/features/residents/components/resident-flags.tsx';
import { ageOf, ethnicityName } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';
import { DeleteOrRestore } from '@/components/delete-or-restore.tsx';

function ResidentDetailPage() {
  const { id } = useParams<{ id: string }>();
  const { orgUnitId } = useSelectedOrg();
  const me = useMe().data!;
  const navigate = useNavigate();
  const resident = useResident(id);
  const household = useHousehold(resident.data?.householdId);
  const org = useOrgUnit(resident.data?.orgUnitId);
  const remove = useDeleteResident();
  const restore = useRestoreResident();
  if (resident.isPending) return <Spin />;
  if (resident.isError) return <Result status="warning" title={resident.error.message} />;
  const r = resident.data;
  const f = t.residents.fields;
  const none = t.common.none;
  const canEdit = canEditRegistry(me.roles);
  const age = ageOf(r.birthDate);
  const dwellingId = r.dwellingId ?? household.data?.dwellingId ?? null;

  return (
    <>
      <Space wrap style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {r.name} {r.deletedAt && <Tag>{t.common.deleted}</Tag>}
        </Typography.Title>
        {canEdit && (
          <Space>
            {!r.deletedAt && (
              <Link to={`/residents/${r.id}/edit?org=${orgUnitId}`}>
                <Button type="primary">{t.common.edit}</Button>
              </Link>
            )}
            <DeleteOrRestore
              deleted={r.deletedAt !== null}
              confirmTitle={t.residents.deleteConfirm(r.name)}
              onDelete={() => remove.mutateAsync({ id: r.id, version: r.version })}
              onRestore={() => restore.mutateAsync({ id: r.id, version: r.version })}
              onDeleted={() => navigate(`/residents?org=${orgUnitId}`)}
            />
          </Space>
        )}
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card size="small" title={t.residents.basicSection}>
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={f.gender}>{t.registry.genders[r.gender]}</Descriptions.Item>
              <Descriptions.Item label={f.ethnicity}>{ethnicityName(r.ethnicityCode)}</Descriptions.Item>
              <Descriptions.Item label={f.idNumber}>
                <MaskedValue residentId={r.id} field="idNumber" masked={r.idNumber} />
              </Descriptions.Item>
              <Descriptions.Item label={f.birthDate}>
                {r.birthDate ? `${r.birthDate}（${age}岁）` : none}
              </Descriptions.Item>
              <Descriptions.Item label={f.originRegion}>{r.originRegionName ?? none}</Descriptions.Item>
              <Descriptions.Item label={f.phone}>
                <MaskedValue residentId={r.id} field="phone" masked={r.phone} />
              </Descriptions.Item>
              <Descriptions.Item label={f.residenceType}>
                {t.registry.residenceTypes[r.residenceType]}
              </Descriptions.Item>
              <Descriptions.Item label={f.orgUnit}>{org.data?.name ?? none}</Descriptions.Item>
              <Descriptions.Item label={f.flags}>
                <ResidentFlags flags={r.flags} reviewFlag={r.reviewFlag} />
              </Descriptions.Item>
              <Descriptions.Item label={f.languages}>{r.languages.join('、') || none}</Descriptions.Item>
              <Descriptions.Item label={f.movedInOn}>{r.movedInOn ?? none}</Descriptions.Item>
              <Descriptions.Item label={f.movedOutOn}>{r.movedOutOn ?? none}</Descriptions.Item>
              <Descriptions.Item label={f.note} span={2}>
                {r.note ?? none}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          {r.floating && (
            <Card size="small" title={f.floating} style={{ marginTop: 16 }}>
              <Descriptions column={{ xs: 1, sm: 2 }} size="small">
                <Descriptions.Item label={f.arrivalDate}>{r.floating.arrivalDate ?? none}</Descriptions.Item>
                <Descriptions.Item label={f.reason}>
                  {r.floating.reason ? t.registry.floatingReasons[r.floating.reason] : none}
                </Descriptions.Item>
                <Descriptions.Item label={f.originAddress}>
                  <MaskedValue residentId={r.id} field="originAddress" masked={r.floating.originAddress} />
                </Descriptions.Item>
                <Descriptions.Item label={f.expectedStayMonths}>
                  {r.floating.expectedStayMonths ?? none}
                </Descriptions.Item>
                <Descriptions.Item label={f.stall}>{r.floating.stall ?? none}</Descriptions.Item>
                <Descriptions.Item label={f.landlordName}>
                  {r.floating.landlordName ?? none}
                </Descriptions.Item>
                <Descriptions.Item label={f.landlordPhone}>
                  {r.floating.landlordPhone ?? none}
                </Descriptions.Item>
              </Descriptions>
            </Card>
          )}
          <Card size="small" title={t.residents.householdSection} style={{ marginTop: 16 }}>
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={f.household}>
                {household.data ? (
                  <Link to={`/households/${household.data.id}?org=${orgUnitId}`}>
                    {[household.data.householdNumber, household.data.headName].filter(Boolean).join(' · ') ||
                      t.residents.openHousehold}
                  </Link>
                ) : (
                  t.residents.noHousehold
                )}
              </Descriptions.Item>
              <Descriptions.Item label={f.relationToHead}>
                {r.relationToHead ? t.registry.householdRelations[r.relationToHead] : none}
              </Descriptions.Item>
              <Descriptions.Item label={f.address} span={2}>
                <Space size={12} wrap>
                  <MaskedValue residentId={r.id} field="address" masked={r.address} />
                  {dwellingId && (
                    <Link to={`/places?org=${orgUnitId}&place=${dwellingId}`}>
                      {t.residents.openDwelling}
                    </Link>
                  )}
                </Space>
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t.common.history}>
            <HistoryTimeline collection="residents" id={r.id} fieldLabels={f} />
          </Card>
        </Col>
      </Row>
    </>
  );
}

export { ResidentDetailPage as Component };
