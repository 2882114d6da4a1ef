import { Button, Card, Col, Empty, List, Row, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { addDays } from '@shiliuzi/shared/casework-visits';
import { localDateText } from '@shiliuzi/shared/dates';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { useMustVisits, usePairings, usePlannedVisits } from '@/features/visits/api.ts';
import { MustVisitStateTag } from '@/features/visits/components/must-visit-state-tag.tsx';
import { t } from '@/locales/zh-CN/index.ts';

/**
 * A worker's own tasks: must-visits still to do (overdue first), festival visits planned for him,
 * and pairings due for contact.
 */
function MyTasksPage() {
  const { orgUnitId } = useSelectedOrg();
  const today = localDateText();
  const tasks = useMustVisits({ mine: true, state: 'pending', pageSize: 100 });
  // Due within the coming week, so that a contact can be planned before it is late.
  const pairings = usePairings({
    mine: true,
    activeOn: today,
    contactDueBy: addDays(today, 7),
    pageSize: 100,
  });
  const planned = usePlannedVisits({ mine: true, state: 'pending', pageSize: 100 });
  const my = t.casework.myTasks;
  const c = t.casework.campaigns;
  const visitLink = (task: { residentId: string; residentName: string; kind: string }) =>
    `/visits/new?org=${orgUnitId}&residentId=${task.residentId}&residentName=${encodeURIComponent(task.residentName)}&purpose=${task.kind}&back=tasks`;
  return (
    <>
      <Typography.Title level={4}>{my.title}</Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={my.mustVisits}>
            <List
              loading={tasks.isFetching}
              dataSource={tasks.data?.items ?? []}
              locale={{ emptyText: <Empty description={my.noMustVisits} /> }}
              renderItem={(task) => (
                <List.Item
                  aria-label={`${task.residentName} ${t.casework.mustVisitKinds[task.kind]}`}
                  actions={[
                    <Link key="visit" to={visitLink(task)}>
                      <Button type="primary">{t.casework.mustVisits.recordVisit}</Button>
                    </Link>,
                  ]}
                >
                  <Space orientation="vertical" size={2}>
                    <Typography.Text strong>
                      {task.residentName} · {t.casework.mustVisitKinds[task.kind]}
                    </Typography.Text>
                    <Space size={4}>
                      <MustVisitStateTag state={task.state} />
                      <Typography.Text type="secondary">
                        {t.casework.mustVisits.fields.dueOn} {task.dueOn}
                      </Typography.Text>
                    </Space>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={my.pairingsDue}>
            <List
              loading={pairings.isFetching}
              dataSource={pairings.data?.items ?? []}
              locale={{ emptyText: <Empty description={my.noPairingsDue} /> }}
              renderItem={(p) => (
                <List.Item
                  actions={[
                    <Link key="visit" to={`/visits/new?org=${orgUnitId}&purpose=routine&back=tasks`}>
                      <Button>{t.casework.mustVisits.recordVisit}</Button>
                    </Link>,
                  ]}
                >
                  <Space orientation="vertical" size={2}>
                    <Typography.Text strong>{p.householdLabel || p.householdId.slice(0, 8)}</Typography.Text>
                    <Typography.Text type={p.contactDueOn < today ? 'danger' : 'secondary'}>
                      {my.contactDueOn(p.contactDueOn)} · {my.lastContact(p.lastContactOn)}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={c.myPlanned}>
            <List
              loading={planned.isFetching}
              dataSource={planned.data?.items ?? []}
              locale={{ emptyText: <Empty description={c.noPlanned} /> }}
              renderItem={(p) => {
                const label = p.householdLabel ?? p.residentName ?? '';
                const subject = p.householdId
                  ? `householdId=${p.householdId}&householdLabel=${encodeURIComponent(label)}`
                  : `residentId=${p.residentId}&residentName=${encodeURIComponent(label)}`;
                return (
                  <List.Item
                    aria-label={`${label} ${p.campaignName}`}
                    actions={[
                      <Link
                        key="visit"
                        to={`/visits/new?org=${orgUnitId}&${subject}&purpose=festival&back=tasks`}
                      >
                        <Button type="primary">{t.casework.mustVisits.recordVisit}</Button>
                      </Link>,
                    ]}
                  >
                    <Space orientation="vertical" size={2}>
                      <Typography.Text strong>
                        {label} · {p.campaignName}
                      </Typography.Text>
                      <Space size={4}>
                        <MustVisitStateTag state={p.state} />
                        <Typography.Text type="secondary">
                          {c.fields.plannedOn} {p.plannedOn}
                        </Typography.Text>
                      </Space>
                    </Space>
                  </List.Item>
                );
              }}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}

export { MyTasksPage as Component };
