export { storeBackends, testPostgresUrl, testNatsUrl, servicesRequired, type TestBackend } from './backends.js';
