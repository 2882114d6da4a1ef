import { Card, Col, Descriptions, Empty, Row, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import type { ResidentSummary } from '@shiliuzi/shared/residents';
import { useHouseholds } from '@/features/households/api.ts';
import { usePlace } from '@/features/places/api.ts';
import { PlaceTree } from '@/features/places/components/place-tree.tsx';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { useResidents } from '@/features/residents/api.ts';
import { MaskedValue } from '@/features/residents/components/masked-value.tsx';
import { ageOf, ethnicityName } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';

/** The place tree of the selected org unit; a dwelling shows who lives there and whether it is rented. */
function PlacesPage() {
  const { orgUnitId } = useSelectedOrg();
  const [params, setParams] = useSearchParams();
  const placeId = params.get('place') ?? undefined;
  const place = usePlace(placeId);
  const isDwelling = place.data?.kind === 'dwelling';
  const occupants = useResidents({ dwellingId: placeId, pageSize: 100 }, isDwelling);
  const households = useHouseholds({ dwellingId: placeId, pageSize: 50 }, isDwelling);
  const f = t.places.fields;
  const select = (id: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.set('place', id);
      return next;
    });

  return (
    <>
      <Typography.Title level={4}>{t.places.title}</Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={10} lg={8}>
          <Card size="small" title={t.places.tree}>
            {orgUnitId && (
              <PlaceTree key={orgUnitId} orgUnitId={orgUnitId} selectedId={placeId} onSelect={select} />
            )}
          </Card>
        </Col>
        <Col xs={24} md={14} lg={16}>
          {!place.data ? (
            <Card size="small">
              <Empty description={t.places.selectHint} />
            </Card>
          ) : (
            <>
              <Card
                size="small"
                title={
                  <span>
                    {place.data.name} <Tag>{t.registry.placeKinds[place.data.kind]}</Tag>
                    {place.data.isRental && <Tag color="orange">{t.places.rental}</Tag>}
                  </span>
                }
              >
                <Descriptions column={{ xs: 1, sm: 2 }} size="small">
                  <Descriptions.Item label={f.address}>
                    {place.data.address ?? t.common.none}
                  </Descriptions.Item>
                  {isDwelling && (
                    <Descriptions.Item label={f.isRental}>
                      {place.data.isRental ? t.places.rental : t.places.selfOccupied}
                    </Descriptions.Item>
                  )}
                  {place.data.isRental && (
                    <>
                      <Descriptions.Item label={f.landlordName}>
                        {place.data.landlordName ?? t.common.none}
                      </Descriptions.Item>
                      <Descriptions.Item label={f.landlordPhone}>
                        {place.data.landlordPhone ?? t.common.none}
                      </Descriptions.Item>
                    </>
                  )}
                  <Descriptions.Item label={f.note}>{place.data.note ?? t.common.none}</Descriptions.Item>
                </Descriptions>
              </Card>
              {isDwelling && (
                <Card size="small" title={t.places.occupants} style={{ marginTop: 16 }}>
                  {(households.data?.items.length ?? 0) > 0 && (
                    <Typography.Paragraph>
                      {t.places.households}：
                      {households.data!.items.map((h) => (
                        <Link
                          key={h.id}
                          to={`/households/${h.id}?org=${orgUnitId}`}
                          style={{ marginInlineEnd: 12 }}
                        >
                          {h.householdNumber ?? h.headName ?? h.id.slice(0, 8)}
                        </Link>
                      ))}
                    </Typography.Paragraph>
                  )}
                  <Table<ResidentSummary>
                    rowKey="id"
                    size="small"
                    loading={occupants.isFetching}
                    dataSource={occupants.data?.items ?? []}
                    pagination={false}
                    scroll={{ x: 'max-content' }}
                    locale={{ emptyText: t.places.noOccupants }}
                    columns={[
                      {
                        key: 'name',
                        title: t.residents.fields.name,
                        render: (_, r) => <Link to={`/residents/${r.id}?org=${orgUnitId}`}>{r.name}</Link>,
                      },
                      {
                        key: 'gender',
                        title: t.residents.fields.gender,
                        render: (_, r) => t.registry.genders[r.gender],
                      },
                      {
                        key: 'ethnicity',
                        title: t.residents.fields.ethnicity,
                        render: (_, r) => ethnicityName(r.ethnicityCode),
                      },
                      {
                        key: 'age',
                        title: t.residents.fields.age,
                        render: (_, r) => ageOf(r.birthDate) ?? t.common.none,
                      },
                      {
                        key: 'type',
                        title: t.residents.fields.residenceType,
                        render: (_, r) => t.registry.residenceTypes[r.residenceType],
                      },
                      {
                        key: 'phone',
                        title: t.residents.fields.phone,
                        render: (_, r) => <MaskedValue residentId={r.id} field="phone" masked={r.phone} />,
                      },
                    ]}
                  />
                </Card>
              )}
            </>
          )}
        </Col>
      </Row>
    </>
  );
}

export { PlacesPage as Component };
