import {
  AlertOutlined,
  AuditOutlined,
  CarryOutOutlined,
  GiftOutlined,
  HeartOutlined,
  UsergroupAddOutlined,
  BarChartOutlined,
  CalendarOutlined,
  FieldTimeOutlined,
  FileWordOutlined,
  HomeOutlined,
  PhoneOutlined,
  SwapOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { CurrentUser } from '@shiliuzi/shared/users';
import {
  canListAccounts,
  canReadAudit,
  opensRetention,
  isOutsideRegisters,
} from '@shiliuzi/shared/permissions';
import { t } from '@/locales/zh-CN/index.ts';

const registerSections = [
  { key: 'residents', icon: <TeamOutlined />, label: t.menu.residents },
  { key: 'households', icon: <HomeOutlined />, label: t.menu.households },
  { key: 'places', icon: <HomeOutlined />, label: t.menu.places },
  // Casework: visits and must-visits, pairing, assistance.
  { key: 'my-tasks', icon: <CarryOutOutlined />, label: t.menu.myTasks },
  { key: 'visits', icon: <HeartOutlined />, label: t.menu.visits },
  { key: 'must-visits', icon: <AlertOutlined />, label: t.menu.mustVisits },
  { key: 'visit-campaigns', icon: <CalendarOutlined />, label: t.menu.visitCampaigns },
  { key: 'pairings', icon: <UsergroupAddOutlined />, label: t.menu.pairings },
  { key: 'assistance', icon: <GiftOutlined />, label: t.menu.assistance },
  { key: 'dashboard', icon: <BarChartOutlined />, label: t.menu.dashboard },
  { key: 'reports', icon: <FileWordOutlined />, label: t.menu.reports },
  { key: 'imports', icon: <SwapOutlined />, label: t.menu.imports },
  { key: 'disputes', icon: <AlertOutlined />, label: t.menu.disputes },
  { key: 'petitions', icon: <PhoneOutlined />, label: t.menu.petitions },
];
const auditSection = { key: 'audit', icon: <AuditOutlined />, label: t.menu.audit };
const usersSection = { key: 'users', icon: <UserOutlined />, label: t.menu.users };
const retentionSection = { key: 'retention', icon: <FieldTimeOutlined />, label: t.menu.retention };

/**
 * The sections a user's roles open: the registers for workers, the accounts and the retention
 * periods for the system and security administrators, the audit log for auditors (三员分立).
 */
export function sectionsFor(user: Pick<CurrentUser, 'roles' | 'wholeTree'>) {
  const { roles } = user;
  return [
    ...(isOutsideRegisters(roles) ? [] : registerSections),
    ...(canListAccounts(roles) ? [usersSection] : []),
    ...(opensRetention(user) ? [retentionSection] : []),
    ...(canReadAudit(roles) ? [auditSection] : []),
  ];
}

export function homeSection(user: Pick<CurrentUser, 'roles' | 'wholeTree'>): string {
  return sectionsFor(user)[0]?.key ?? 'residents';
}
