import { Card, Col, Descriptions, Result, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import type { ResidentSummary } from '@shiliuzi/shared/residents';
import { HistoryTimeline } from '@/features/history/components/history-timeline.tsx';
import { useHousehold, useHouseholdMembers } from '@/features/households/api.ts';
import { MaskedHouseholdAddress } from '@/features/households/components/masked-household-address.tsx';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { MaskedValue } from '@/features/residents/components/masked-value.tsx';
import { ResidentFlags } from '@/features/residents/components/resident-flags.tsx';
import { ageOf, ethnicityName } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';

/** One household: its members with their relation to the head, and whether it is an inter-ethnic family. */
function HouseholdPage() {
  const { id } = useParams<{ id: string }>();
  const { orgUnitId } = useSelectedOrg();
  const household = useHousehold(id);
  const members = useHouseholdMembers(id);
  if (household.isPending) return <Spin />;
  if (household.isError) return <Result status="warning" title={household.error.message} />;
  const h = household.data;
  const f = t.households.fields;
  const r = t.residents.fields;
  return (
    <>
      <Typography.Title level={4}>
        {t.households.detailTitle}：{h.householdNumber ?? h.headName ?? ''}{' '}
        {h.isInterEthnicMarriage && <Tag color="volcano">{t.households.interEthnicYes}</Tag>}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card size="small">
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={f.householdNumber}>
                {h.householdNumber ?? t.common.none}
              </Descriptions.Item>
              <Descriptions.Item label={f.headName}>{h.headName ?? t.common.none}</Descriptions.Item>
              <Descriptions.Item label={f.memberCount}>{t.common.person(h.memberCount)}</Descriptions.Item>
              <Descriptions.Item label={f.interEthnic}>
                {h.isInterEthnicMarriage ? t.common.yes : t.common.no}
              </Descriptions.Item>
              <Descriptions.Item label={f.address}>
                <MaskedHouseholdAddress householdId={h.id} field="address" masked={h.address} />
              </Descriptions.Item>
              <Descriptions.Item label={f.dwellingAddress}>
                <Space size={12} wrap>
                  <MaskedHouseholdAddress
                    householdId={h.id}
                    field="dwellingAddress"
                    masked={h.dwellingAddress}
                  />
                  {h.dwellingId && (
                    <Link to={`/places?org=${orgUnitId}&place=${h.dwellingId}`}>
                      {t.households.openDwelling}
                    </Link>
                  )}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={f.note}>{h.note ?? t.common.none}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small" title={t.households.members} style={{ marginTop: 16 }}>
            <Table<ResidentSummary>
              rowKey="id"
              size="small"
              loading={members.isPending}
              dataSource={members.data ?? []}
              pagination={false}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: t.households.noMembers }}
              columns={[
                {
                  key: 'name',
                  title: r.name,
                  render: (_, m) => <Link to={`/residents/${m.id}?org=${orgUnitId}`}>{m.name}</Link>,
                },
                {
                  key: 'relation',
                  title: r.relationToHead,
                  render: (_, m) =>
                    m.relationToHead ? t.registry.householdRelations[m.relationToHead] : t.common.none,
                },
                { key: 'gender', title: r.gender, render: (_, m) => t.registry.genders[m.gender] },
                { key: 'ethnicity', title: r.ethnicity, render: (_, m) => ethnicityName(m.ethnicityCode) },
                { key: 'age', title: r.age, render: (_, m) => ageOf(m.birthDate) ?? t.common.none },
                {
                  key: 'idNumber',
                  title: r.idNumber,
                  render: (_, m) => <MaskedValue residentId={m.id} field="idNumber" masked={m.idNumber} />,
                },
                {
                  key: 'flags',
                  title: r.flags,
                  render: (_, m) => <ResidentFlags flags={m.flags} reviewFlag={m.reviewFlag} />,
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t.common.history}>
            <HistoryTimeline collection="households" id={h.id} fieldLabels={f} />
          </Card>
        </Col>
      </Row>
    </>
  );
}

export { HouseholdPage as Component };
