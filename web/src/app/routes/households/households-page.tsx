import { Card, Grid, Input, List, Space, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import type { Household } from '@shiliuzi/shared/households';
import { useHouseholds } from '@/features/households/api.ts';
import { MaskedHouseholdAddress } from '@/features/households/components/masked-household-address.tsx';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { t } from '@/locales/zh-CN/index.ts';

/** Households of the selected org unit, searchable by number, address or head. */
function HouseholdsPage() {
  const { orgUnitId } = useSelectedOrg();
  const [params, setParams] = useSearchParams();
  const screens = Grid.useBreakpoint();
  const q = params.get('q') ?? undefined;
  const page = Number(params.get('page') ?? 1);
  const pageSize = Number(params.get('pageSize') ?? 20);
  const households = useHouseholds({ orgUnitId, q, page, pageSize }, orgUnitId !== undefined);
  const f = t.households.fields;
  const set = (patch: Record<string, string | undefined>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(patch)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      return next;
    });
  const link = (h: Household) => `/households/${h.id}?org=${orgUnitId}`;
  const title = (h: Household) => h.householdNumber ?? h.headName ?? h.id.slice(0, 8);
  // The household's own address, else its dwelling's: masked, with 查看 for those who may reveal.
  const address = (h: Household) =>
    h.address !== null ? (
      <MaskedHouseholdAddress householdId={h.id} field="address" masked={h.address} />
    ) : (
      <MaskedHouseholdAddress householdId={h.id} field="dwellingAddress" masked={h.dwellingAddress} />
    );
  const pagination = {
    current: households.data?.page ?? page,
    pageSize: households.data?.pageSize ?? pageSize,
    total: households.data?.total ?? 0,
    showTotal: (n: number) => t.common.total(n),
    onChange: (p: number, size: number) => set({ page: String(p), pageSize: String(size) }),
  };

  return (
    <>
      <Typography.Title level={4}>{t.households.title}</Typography.Title>
      <Input.Search
        key={q ?? ''}
        defaultValue={q}
        allowClear
        enterButton={t.common.search}
        placeholder={t.households.searchPlaceholder}
        aria-label={t.households.searchPlaceholder}
        onSearch={(value) => set({ q: value.trim() || undefined, page: undefined })}
        style={{ maxWidth: 360, marginBottom: 12 }}
      />
      {screens.md === false ? (
        <List
          loading={households.isFetching}
          dataSource={households.data?.items ?? []}
          pagination={{ ...pagination, simple: true, align: 'center', showTotal: undefined }}
          renderItem={(h) => (
            <List.Item style={{ border: 'none', padding: '6px 0' }}>
              <Card size="small" style={{ width: '100%' }}>
                <Space orientation="vertical" size={2}>
                  <Link to={link(h)}>
                    <Typography.Text strong>{title(h)}</Typography.Text>
                  </Link>
                  <Typography.Text type="secondary">
                    {f.headName}：{h.headName ?? t.common.none} · {t.common.person(h.memberCount)}
                  </Typography.Text>
                  {(h.address ?? h.dwellingAddress) && address(h)}
                  {h.isInterEthnicMarriage && <Tag color="volcano">{t.households.interEthnicYes}</Tag>}
                </Space>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<Household>
          rowKey="id"
          size="middle"
          loading={households.isFetching}
          dataSource={households.data?.items ?? []}
          pagination={pagination}
          columns={[
            {
              key: 'number',
              title: f.householdNumber,
              render: (_, h) => <Link to={link(h)}>{h.householdNumber ?? t.common.none}</Link>,
            },
            {
              key: 'head',
              title: f.headName,
              render: (_, h) => <Link to={link(h)}>{h.headName ?? t.common.none}</Link>,
            },
            { key: 'members', title: f.memberCount, render: (_, h) => h.memberCount },
            { key: 'address', title: f.address, render: (_, h) => address(h) },
            {
              key: 'interEthnic',
              title: f.interEthnic,
              render: (_, h) => (h.isInterEthnicMarriage ? <Tag color="volcano">{t.common.yes}</Tag> : null),
            },
          ]}
        />
      )}
    </>
  );
}

export { HouseholdsPage as Component };
