import { lazy, Suspense, type ReactNode } from 'react';
import { can, type Permission } from './features/auth/permissions';
import { useMe } from './features/auth/session-context';
import { AlarmsPage } from './features/alarms/alarms-page';
import { RulesPage } from './features/alarms/rules-page';
import { NotificationsPage } from './features/notifications/notifications-page';
import { HealthPage } from './features/health/health-page';
import { GradingPage } from './features/grading/grading-page';
import { SecurityInspectionsPage } from './features/grading/inspections-page';
import { SchedulesPage } from './features/maintenance/schedules-page';
import { WorkOrderPage } from './features/maintenance/work-order-page';
import { WorkOrdersPage } from './features/maintenance/work-orders-page';
import { InspectPage } from './features/inspection/inspect-page';
import { NoticePage } from './features/notices/notice-page';
import { NoticesPage } from './features/notices/notices-page';
import { IncidentPage } from './features/incidents/incident-page';
import { IncidentsPage } from './features/incidents/incidents-page';
import { PlansPage } from './features/incidents/plans-page';
import { SituationPage } from './features/security/situation-page';
import { SecurityEventsPage } from './features/security/events-page';
import { SecurityAssetsPage } from './features/security/assets-page';
import { ProtectionPage } from './features/security/protection-page';
import { MonitoringPage } from './features/security/monitoring-page';
import { DataClassificationPage } from './features/data-classification/data-classification-page';
import { InspectionRoundsPage } from './features/inspection/rounds-page';
import { InspectionRoutesPage } from './features/inspection/routes-plans-page';
import { InspectionStandardsPage } from './features/inspection/standards-page';
import { AuditPage } from './features/audit/audit-page';
import { DashboardPage } from './features/dashboards/dashboard-page';
import { DashboardsPage } from './features/dashboards/dashboards-page';
import { DevicePage } from './features/devices/device-page';
import { DevicesPage } from './features/devices/devices-page';
import { EnterprisesPage } from './features/enterprises/enterprises-page';
import { GatewayPage } from './features/gateways/gateway-page';
import { GatewaysPage } from './features/gateways/gateways-page';
import { HomePage } from './features/home/home-page';
import { BulkPage } from './features/identifiers/bulk-page';
import { IdentifierPage } from './features/identifiers/identifier-page';
import { IdentifiersPage } from './features/identifiers/identifiers-page';
import { PrefixesPage } from './features/identifiers/prefixes-page';
import { StatsPage } from './features/identifiers/stats-page';
import { ForbiddenPage } from './features/placeholder/forbidden-page';
import { NotFoundPage } from './features/placeholder/not-found-page';
import { PlaceholderPage } from './features/placeholder/placeholder-page';
import { ScreenPage } from './features/screen/screen-page';
import { UsersPage } from './features/users/users-page';
import { useI18n, type MessageKey } from './i18n';
import { useLocation, type RouteParams, type RoutePath } from './router/hash-router';

// The add-device pages validate points with the contracts' zod schemas: loaded when first opened, so
// zod stays out of the bundle every other page loads.
const ModbusDevicePage = lazy(() => import('./features/gateways/modbus-device-page').then((m) => ({ default: m.ModbusDevicePage })));
const OpcuaDevicePage = lazy(() => import('./features/gateways/opcua-device-page').then((m) => ({ default: m.OpcuaDevicePage })));
// 振动诊断: loaded when first opened, with its charts.
const DiagnosisPage = lazy(() => import('./features/diagnosis/diagnosis-page').then((m) => ({ default: m.DiagnosisPage })));

/** Shown while a lazily loaded page arrives. */
function PageLoading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

interface RouteDef {
  title: MessageKey;
  permission?: Permission;
  /** The page, given the values of the path's `:name` segments. */
  render: (params: RouteParams) => ReactNode;
}

/** What each path shows; a path without a row here fails to compile. */
const routeTable: Record<RoutePath, RouteDef> = {
  '/': { title: 'nav.home', render: () => <HomePage /> },
  '/devices': { title: 'nav.devices', permission: 'devices.view', render: () => <DevicesPage /> },
  '/devices/:id': {
    title: 'nav.devices',
    permission: 'devices.view',
    render: ({ id }) => <DevicePage id={id ?? ''} />,
  },
  '/devices/:id/diagnosis': {
    title: 'nav.devices',
    permission: 'devices.view',
    render: ({ id }) => (
      <Suspense fallback={<PageLoading />}>
        <DiagnosisPage id={id ?? ''} />
      </Suspense>
    ),
  },
  '/dashboards': { title: 'nav.dashboards', permission: 'devices.view', render: () => <DashboardsPage /> },
  '/dashboards/:id': { title: 'nav.dashboards', permission: 'devices.view', render: ({ id }) => <DashboardPage id={id ?? ''} /> },
  // 大屏: the page hides the console's header and navigation itself while it shows.
  '/screen/:id': { title: 'nav.dashboards', permission: 'devices.view', render: ({ id }) => <ScreenPage id={id ?? ''} /> },
  '/gateways': { title: 'nav.gateways', permission: 'gateways.view', render: () => <GatewaysPage /> },
  '/gateways/:id': { title: 'nav.gateways', permission: 'gateways.view', render: ({ id }) => <GatewayPage id={id ?? ''} /> },
  '/gateways/:id/modbus': {
    title: 'nav.gateways',
    permission: 'devices.manage',
    render: ({ id }) => (
      <Suspense fallback={<PageLoading />}>
        <ModbusDevicePage gatewayId={id ?? ''} />
      </Suspense>
    ),
  },
  '/gateways/:id/opcua': {
    title: 'nav.gateways',
    permission: 'devices.manage',
    render: ({ id }) => (
      <Suspense fallback={<PageLoading />}>
        <OpcuaDevicePage gatewayId={id ?? ''} />
      </Suspense>
    ),
  },
  // 告警: anyone who sees devices sees their alarms and the rules; the pages check acknowledging and editing.
  '/alarms': { title: 'nav.alarms', permission: 'alarms.view', render: () => <AlarmsPage /> },
  '/alarms/rules': { title: 'nav.alarms', permission: 'alarms.view', render: () => <RulesPage /> },
  '/alarms/notifications': { title: 'nav.alarms', permission: 'alarms.view', render: () => <NotificationsPage /> },
  // 维护: anyone who sees devices reads work orders and schedules; the pages check who may change them.
  '/maintenance': { title: 'nav.maintenance', permission: 'devices.view', render: () => <WorkOrdersPage /> },
  '/maintenance/schedules': { title: 'nav.maintenance', permission: 'devices.view', render: () => <SchedulesPage /> },
  '/maintenance/orders/:id': { title: 'nav.maintenance', permission: 'devices.view', render: ({ id }) => <WorkOrderPage id={id ?? ''} /> },
  // 移动点检: the phone page; walking rounds is the server's inspection:write, held by the same roles as maintenance.write.
  '/m/inspect': { title: 'nav.inspection', permission: 'maintenance.write', render: () => <InspectPage /> },
  // 点检管理: anyone who sees devices reads rounds, standards, routes and plans; the pages check inspection.manage.
  '/inspection': { title: 'nav.inspectionConsole', permission: 'devices.view', render: () => <InspectionRoundsPage /> },
  '/inspection/standards': { title: 'nav.inspectionConsole', permission: 'devices.view', render: () => <InspectionStandardsPage /> },
  '/inspection/routes': { title: 'nav.inspectionConsole', permission: 'devices.view', render: () => <InspectionRoutesPage /> },
  // 健康: anyone who sees devices sees the fleet's health; assessing now needs devices.manage.
  '/health': { title: 'nav.health', permission: 'devices.view', render: () => <HealthPage /> },
  // 标识解析: looking an identifier up needs no permission (resolution is public); the views below check theirs.
  '/identifiers': { title: 'nav.identifiers', render: () => <IdentifiersPage /> },
  '/identifiers/bulk': { title: 'nav.identifiers', permission: 'identifiers.write', render: () => <BulkPage /> },
  '/identifiers/prefixes': { title: 'nav.identifiers', permission: 'prefixes.view', render: () => <PrefixesPage /> },
  '/identifiers/stats': { title: 'nav.identifiers', render: () => <StatsPage /> },
  '/identifiers/:id': { title: 'nav.identifiers', render: ({ id }) => <IdentifierPage id={id ?? ''} /> },
  // 安全态势: the authority sees every enterprise and district, an enterprise its own; the pages check security.manage and protection.manage.
  '/security': { title: 'nav.security', permission: 'security.view', render: () => <SituationPage /> },
  '/security/events': { title: 'nav.securityEvents', permission: 'security.view', render: () => <SecurityEventsPage /> },
  '/security/assets': { title: 'nav.securityAssets', permission: 'security.view', render: () => <SecurityAssetsPage /> },
  '/security/protection': { title: 'nav.protection', permission: 'security.view', render: () => <ProtectionPage /> },
  '/security/monitoring': { title: 'nav.securityMonitoring', permission: 'security.view', render: () => <MonitoringPage /> },
  // 预警通报: the authority issues and reviews; enterprises read, acknowledge and report disposal (the pages check which).
  '/security/notices': { title: 'nav.notices', permission: 'notices.view', render: () => <NoticesPage /> },
  '/security/notices/:id': { title: 'nav.notices', permission: 'notices.view', render: ({ id }) => <NoticePage id={id ?? ''} /> },
  // 企业分级 and 安全检查: the pages show the enterprise's or the authority's side by role.
  '/security/grading': { title: 'nav.grading', permission: 'grading.view', render: () => <GradingPage /> },
  '/security/inspections': { title: 'nav.securityInspections', permission: 'grading.view', render: () => <SecurityInspectionsPage /> },
  // 应急管理: incidents and drills, response plans; the pages check incidents.write for changes.
  '/security/incidents': { title: 'nav.incidents', permission: 'incidents.view', render: () => <IncidentsPage /> },
  '/security/incidents/:id': { title: 'nav.incidents', permission: 'incidents.view', render: ({ id }) => <IncidentPage id={id ?? ''} /> },
  '/security/plans': { title: 'nav.incidents', permission: 'incidents.view', render: () => <PlansPage /> },
  // 数据分类分级: points' classes, export requests and approvals, access report (the page checks data.classify, data.exportApprove, audit.view).
  '/security/data-classification': { title: 'nav.dataClassification', permission: 'data.view', render: () => <DataClassificationPage /> },
  '/services': {
    title: 'nav.services',
    render: () => <PlaceholderPage title="nav.services" description="placeholder.services" icon="services" />,
  },
  '/admin/users': { title: 'nav.users', permission: 'users.view', render: () => <UsersPage /> },
  '/admin/enterprises': { title: 'nav.enterprises', permission: 'enterprises.view', render: () => <EnterprisesPage /> },
  '/admin/audit': { title: 'nav.audit', permission: 'audit.view', render: () => <AuditPage /> },
};

/** The page for the current hash, or 页面不存在 / 无权访问. Keyed by the resolved path so each page starts fresh. */
export function RouteView() {
  const location = useLocation();
  const me = useMe();
  if (!location.known) return <NotFoundPage path={location.path} />;
  const route = routeTable[location.path];
  if (route.permission && !can(me.role, route.permission)) return <ForbiddenPage title={route.title} />;
  return <div key={location.resolved}>{route.render(location.params)}</div>;
}
