export { createDashboardStore, type DashboardInput, type DashboardStore } from './dashboard-store.js';
