/**
 * Shapes of device health and remaining-useful-life models (issue 6, items 5 and 6) shared by the store
 * (devices), the API (server) and the console. Types only.
 */

/** A stored remaining-useful-life model as `GET /api/v1/rul/models` lists it (its trees stay on the server). */
export interface RulModelInfo {
  id: string;
  tenantId: string | null;
  name: string;
  description: string;
  /** The model inputs (sensor numbers 1–21), in the order the model reads them; a binding maps each. */
  sensors: number[];
  window: number;
  minHistory: number;
  cap: number;
  training: { dataset: string; seed: number; members: number; trainUnits: number; validationUnits: number; validationRmse: number; trainedAt: string };
  createdBy: string | null;
  createdAt: string;
}
