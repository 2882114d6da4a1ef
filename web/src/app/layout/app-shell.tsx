import { KeyOutlined, LogoutOutlined, MenuOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Drawer, Dropdown, Grid, Layout, Menu, Typography } from 'antd';
import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useLogout, useMe } from '@/features/auth/api.ts';
import { OrgTree } from '@/features/org-units/components/org-tree.tsx';
import { useOrgAncestors } from '@/features/org-units/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { t } from '@/locales/zh-CN/index.ts';
import styles from './app-shell.module.css';
import { sectionsFor } from './sections.tsx';

/**
 * The frame of every page: on the left the sections above the org tree (the user's subtree), and
 * breadcrumbs. Below the `md` breakpoint both move into a drawer opened from the header.
 */
export function AppShell() {
  const screens = Grid.useBreakpoint();
  const isDesktop = screens.md ?? true;
  const me = useMe().data!;
  const sections = sectionsFor(me);
  const { orgUnitId, setOrgUnitId } = useSelectedOrg();
  const ancestors = useOrgAncestors(orgUnitId);
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const [drawerOpen, setDrawerOpen] = useState(false);

  const section = location.pathname.split('/')[1] ?? 'residents';
  const currentSection = sections.find((s) => s.key === section);
  const go = (key: string) => {
    navigate(`/${key}?org=${orgUnitId}`);
    setDrawerOpen(false);
  };
  const selectOrg = (id: string) => {
    // Detail pages belong to one record: choosing another unit returns to the section's list.
    if (location.pathname.split('/').length > 2) navigate(`/${section}?org=${id}`);
    else setOrgUnitId(id);
    if (!isDesktop) setDrawerOpen(false);
  };

  // A column of sections (beside the org tree on a desktop, in the drawer on a phone): every one
  // stays in sight however many there are, where a menu across the header would fold some away.
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[section]}
      items={sections.map((s) => ({ key: s.key, icon: s.icon, label: s.label }))}
      onClick={({ key }) => go(key)}
      className={styles.sectionMenu}
    />
  );
  const tree = <OrgTree rootId={me.orgUnitId} selectedId={orgUnitId} onSelect={selectOrg} />;
  const userMenu = {
    items: [
      { key: 'who', label: `${me.displayName}（${me.orgUnitName}）`, disabled: true },
      { key: 'password', icon: <KeyOutlined />, label: t.auth.changePassword },
      ...(me.totpEnabled
        ? []
        : [{ key: 'two-factor', icon: <SafetyOutlined />, label: t.auth.twoFactor.bind }]),
      { key: 'logout', icon: <LogoutOutlined />, label: t.common.logout },
    ],
    onClick: ({ key }: { key: string }) => {
      if (key === 'logout') logout.mutate(undefined, { onSettled: () => navigate('/login') });
      if (key === 'two-factor')
        navigate(`/two-factor?next=${encodeURIComponent(location.pathname + location.search)}`);
      if (key === 'password')
        navigate(`/password?next=${encodeURIComponent(location.pathname + location.search)}`);
    },
  };

  return (
    <Layout className={styles.root}>
      <Layout.Header className={styles.header}>
        {!isDesktop && (
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label={t.common.menu}
            onClick={() => setDrawerOpen(true)}
            className={styles.headerButton}
          />
        )}
        <Link to={`/residents?org=${orgUnitId}`} className={styles.brand}>
          <span className={styles.logo} aria-hidden>
            榴
          </span>
          {isDesktop ? `${t.common.appName} · ${t.common.appTitle}` : t.common.appName}
        </Link>
        <span className={styles.headerSpacer} />
        <Dropdown menu={userMenu} trigger={['click']}>
          <Button type="text" icon={<UserOutlined />} className={styles.headerButton}>
            {isDesktop ? me.displayName : null}
          </Button>
        </Dropdown>
      </Layout.Header>
      <Layout>
        {isDesktop && (
          <Layout.Sider width={240} theme="light" className={styles.sider}>
            {menu}
            <Typography.Text type="secondary" className={styles.siderTitle}>
              {t.common.orgTree}
            </Typography.Text>
            {tree}
          </Layout.Sider>
        )}
        <Layout.Content className={styles.content}>
          <Breadcrumb
            className={styles.breadcrumb}
            items={[
              ...(ancestors.data ?? []).map((unit) => ({
                key: unit.id,
                title:
                  unit.id === orgUnitId ? (
                    unit.name
                  ) : (
                    <a
                      href={`/${section}?org=${unit.id}`}
                      onClick={(event) => {
                        event.preventDefault();
                        selectOrg(unit.id);
                      }}
                    >
                      {unit.name}
                    </a>
                  ),
              })),
              ...(currentSection ? [{ key: 'section', title: currentSection.label }] : []),
            ]}
          />
          <Outlet />
        </Layout.Content>
      </Layout>
      {!isDesktop && (
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          size={300}
          title={t.common.appName}
          styles={{ body: { padding: 0 } }}
        >
          {menu}
          <div className={styles.drawerTree}>
            <Typography.Text type="secondary" className={styles.siderTitle}>
              {t.common.orgTree}
            </Typography.Text>
            {tree}
          </div>
        </Drawer>
      )}
    </Layout>
  );
}
