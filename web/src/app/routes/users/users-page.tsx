import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import {
  canCreateAccounts,
  canSecureAccounts,
  joinsSeparateDuties,
  separateDutyRoles,
} from '@shiliuzi/shared/permissions';
import { roles as allRoles, type Role } from '@shiliuzi/shared/registry';
import { registryLabels } from '@shiliuzi/shared/registry-labels.zh-CN';
import {
  PASSWORD_MIN_CLASSES,
  PASSWORD_MIN_LENGTH,
  passwordClassCount,
  type User,
  type UserInput,
} from '@shiliuzi/shared/users';
import { useMe } from '@/features/auth/api.ts';
import { useOrgUnit } from '@/features/org-units/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { useAccountAction, useCreateUser, useSetUserRoles, useUsers } from '@/features/users/api.ts';
import { t } from '@/locales/zh-CN/index.ts';

const u = t.users;
const roleLabel = (role: Role) => registryLabels.roles[role];
/** The roles an account is opened with; the duties are granted afterwards by security. */
const workingRoles = allRoles.filter((role) => !separateDutyRoles.includes(role));

function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { message } = App.useApp();
  const { orgUnitId } = useSelectedOrg();
  const org = useOrgUnit(orgUnitId);
  const create = useCreateUser();
  const [form] = Form.useForm<Omit<UserInput, 'orgUnitId'>>();
  return (
    <Modal
      open={open}
      title={u.createTitle}
      okText={u.create}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{u.createHint(org.data?.name ?? '')}</Typography.Paragraph>
      {create.isError && (
        <Alert type="error" showIcon title={create.error.message} style={{ marginBottom: 16 }} />
      )}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(values) =>
          create.mutate(
            { ...values, orgUnitId: orgUnitId! },
            {
              onSuccess: (user) => {
                void message.success(u.created(user.username));
                onClose();
              },
            },
          )
        }
      >
        <Form.Item
          name="username"
          label={u.fields.username}
          rules={[
            { required: true, message: u.usernameRequired },
            { pattern: /^[A-Za-z0-9_.-]{2,50}$/, message: u.usernameFormat },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={u.fields.displayName}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="password"
          label={u.fields.password}
          rules={[
            { required: true, message: u.passwordRequired },
            { min: PASSWORD_MIN_LENGTH, message: t.auth.tooShort },
            {
              validator: async (_, value: string | undefined) => {
                if (value && passwordClassCount(value) < PASSWORD_MIN_CLASSES)
                  throw new Error(t.auth.tooSimple);
              },
            },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="roles" label={u.fields.roles} rules={[{ required: true, message: u.rolesRequired }]}>
          <Select
            mode="multiple"
            options={workingRoles.map((role) => ({ value: role, label: roleLabel(role) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RolesDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { message } = App.useApp();
  const setRoles = useSetUserRoles();
  const [roles, setChosen] = useState<Role[]>([]);
  // The user's roles are the starting point as soon as the dialog is asked for, before it is painted:
  // set after the opening animation, they would wipe a tick made meanwhile.
  const [shownFor, setShownFor] = useState<User | null>(null);
  if (user && user !== shownFor) {
    setShownFor(user);
    setChosen(user.roles);
  }
  const joined = joinsSeparateDuties(roles);
  return (
    <Modal
      open={user !== null}
      title={user ? u.setRolesTitle(user.displayName) : ''}
      confirmLoading={setRoles.isPending}
      okButtonProps={{ disabled: joined || roles.length === 0 }}
      afterOpenChange={() => setRoles.reset()}
      onOk={() =>
        setRoles.mutate(
          { id: user!.id, roles },
          {
            onSuccess: () => {
              void message.success(u.rolesSaved);
              onClose();
            },
          },
        )
      }
      onCancel={onClose}
    >
      {setRoles.isError && (
        <Alert type="error" showIcon title={setRoles.error.message} style={{ marginBottom: 16 }} />
      )}
      <Checkbox.Group
        value={roles}
        onChange={(next) => setChosen(next as Role[])}
        options={allRoles.map((role) => ({ value: role, label: roleLabel(role) }))}
      />
      {joined && <Alert type="warning" showIcon title={u.dutiesJoined} style={{ marginTop: 16 }} />}
      {roles.length === 0 && (
        <Alert type="warning" showIcon title={u.rolesRequired} style={{ marginTop: 16 }} />
      )}
    </Modal>
  );
}

/** 账号管理: accounts of the subtree; the system administrator opens them, the security administrator secures them. */
function UsersPage() {
  const { message } = App.useApp();
  const me = useMe().data!;
  const users = useUsers();
  const action = useAccountAction();
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const mayCreate = canCreateAccounts(me.roles);
  const maySecure = canSecureAccounts(me.roles);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    const all = users.data ?? [];
    return q ? all.filter((x) => x.username.toLowerCase().includes(q) || x.displayName.includes(q)) : all;
  }, [users.data, query]);

  const act = (user: User, kind: 'disable' | 'enable' | 'unlock') =>
    action.mutate(
      { id: user.id, action: kind },
      {
        onSuccess: () =>
          void message.success(
            (kind === 'disable' ? u.disabledDone : kind === 'enable' ? u.enabledDone : u.unlocked)(
              user.displayName,
            ),
          ),
        onError: (error) => void message.error(error.message),
      },
    );

  const columns = [
    { key: 'username', title: u.columns.username, dataIndex: 'username', width: 140 },
    {
      key: 'displayName',
      title: u.columns.displayName,
      width: 120,
      render: (_: unknown, x: User) => `${x.displayName}${x.id === me.id ? u.self : ''}`,
    },
    { key: 'orgUnit', title: u.columns.orgUnit, dataIndex: 'orgUnitName', width: 160 },
    {
      key: 'roles',
      title: u.columns.roles,
      render: (_: unknown, x: User) => x.roles.map((role) => <Tag key={role}>{roleLabel(role)}</Tag>),
    },
    {
      key: 'status',
      title: u.columns.status,
      width: 110,
      render: (_: unknown, x: User) => (
        <Space size={4}>
          {x.isDisabled ? <Tag color="default">{u.disabled}</Tag> : <Tag color="success">{u.active}</Tag>}
          {x.mustChangePassword && <Tag color="warning">{u.mustChange}</Tag>}
        </Space>
      ),
    },
    ...(maySecure
      ? [
          {
            key: 'actions',
            title: u.columns.actions,
            width: 210,
            render: (_: unknown, x: User) =>
              x.id === me.id ? null : (
                <Space size={0} wrap>
                  <Button type="link" size="small" onClick={() => setEditing(x)}>
                    {u.setRoles}
                  </Button>
                  {x.isDisabled ? (
                    <Button type="link" size="small" onClick={() => act(x, 'enable')}>
                      {u.enable}
                    </Button>
                  ) : (
                    <Popconfirm title={u.disableConfirm(x.displayName)} onConfirm={() => act(x, 'disable')}>
                      <Button type="link" size="small" danger>
                        {u.disable}
                      </Button>
                    </Popconfirm>
                  )}
                  <Tooltip title={u.unlockHint}>
                    <Button type="link" size="small" onClick={() => act(x, 'unlock')}>
                      {u.unlock}
                    </Button>
                  </Tooltip>
                </Space>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Typography.Title level={4}>{u.title}</Typography.Title>
      <Typography.Paragraph type="secondary">{u.hint}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={u.search}
          onChange={(e) => setQuery(e.target.value)}
          style={{ width: 240 }}
        />
        {mayCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {u.create}
          </Button>
        )}
      </Space>
      <Table<User>
        size="small"
        rowKey="id"
        loading={users.isFetching}
        columns={columns}
        dataSource={shown}
        scroll={{ x: 900 }}
        pagination={{ pageSize: 20, showSizeChanger: true }}
      />
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
      <RolesDialog user={editing} onClose={() => setEditing(null)} />
    </>
  );
}

export { UsersPage as Component };
