import type {
  Assessment,
  AssessmentAnswer,
  AssessmentReview,
  EnterpriseGrade,
  EnterpriseKind,
  GradingSummaryRow,
  Questionnaire,
  Rectification,
  RectificationReport,
  RectificationVerify,
  SecurityChecklistItem,
  SecurityInspection,
  SecurityInspectionInput,
  SecurityInspectionResults,
} from '@yulian/contracts';
import type { CallOptions } from '../../api/client';
import { createJsonCaller, type JsonCallerOptions } from '../../api/json-caller';

export type { Assessment, AssessmentAnswer, AssessmentReview, EnterpriseGrade, EnterpriseKind, GradingSummaryRow, Questionnaire, Rectification, SecurityChecklistItem, SecurityInspection };

const grading = '/api/v1/security/grading';
const inspections = '/api/v1/security/inspections';

/** The grading and security-inspection APIs as the console uses them. */
export interface GradingApi {
  questionnaires(options?: CallOptions): Promise<Questionnaire[]>;
  enterprises(query?: { district?: string; level?: number }, options?: CallOptions): Promise<EnterpriseGrade[]>;
  summary(options?: CallOptions): Promise<GradingSummaryRow[]>;
  assessments(query?: { status?: Assessment['status'] }, options?: CallOptions): Promise<Assessment[]>;
  createAssessment(kind: EnterpriseKind): Promise<Assessment>;
  saveAnswers(id: string, answers: Record<string, AssessmentAnswer>): Promise<Assessment>;
  submit(id: string): Promise<Assessment>;
  review(id: string, review: AssessmentReview): Promise<{ assessment: Assessment; grade: EnterpriseGrade }>;
  inspections(options?: CallOptions): Promise<SecurityInspection[]>;
  inspection(id: string, options?: CallOptions): Promise<SecurityInspection>;
  schedule(body: SecurityInspectionInput): Promise<SecurityInspection>;
  recordResults(id: string, body: SecurityInspectionResults): Promise<SecurityInspection>;
  rectifications(query?: { status?: Rectification['status']; overdue?: boolean }, options?: CallOptions): Promise<Rectification[]>;
  report(id: string, body: RectificationReport): Promise<Rectification>;
  verify(id: string, body: RectificationVerify): Promise<{ rectification: Rectification; inspection: SecurityInspection }>;
}

/** `?a=1&b=2` of the defined values, or nothing. */
export function queryString(query: Readonly<Record<string, string | number | boolean | undefined>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Creates the grading API client.
 *
 * @example
 * const api = createGradingApi({ token: () => session.token() });
 * const queue = await api.assessments({ status: 'submitted' });
 */
export function createGradingApi(options: JsonCallerOptions): GradingApi {
  const { call, items } = createJsonCaller(options);
  const id = (x: string) => encodeURIComponent(x);
  return {
    questionnaires: (o) => items(`${grading}/questionnaires`, o?.signal),
    enterprises: (q = {}, o) => items(`${grading}/enterprises${queryString(q)}`, o?.signal),
    summary: (o) => items(`${grading}/summary`, o?.signal),
    assessments: (q = {}, o) => items(`${grading}/assessments${queryString(q)}`, o?.signal),
    createAssessment: (kind) => call(`${grading}/assessments`, { method: 'POST', body: { kind } }),
    saveAnswers: (a, answers) => call(`${grading}/assessments/${id(a)}/answers`, { method: 'PUT', body: { answers } }),
    submit: (a) => call(`${grading}/assessments/${id(a)}/submit`, { method: 'POST' }),
    review: (a, review) => call(`${grading}/assessments/${id(a)}/review`, { method: 'POST', body: review }),
    inspections: (o) => items(inspections, o?.signal),
    inspection: (i, o) => call(`${inspections}/${id(i)}`, { signal: o?.signal }),
    schedule: (body) => call(inspections, { method: 'POST', body }),
    recordResults: (i, body) => call(`${inspections}/${id(i)}/results`, { method: 'POST', body }),
    rectifications: (q = {}, o) => items(`${inspections}/rectifications${queryString(q)}`, o?.signal),
    report: (r, body) => call(`${inspections}/rectifications/${id(r)}/report`, { method: 'POST', body }),
    verify: (r, body) => call(`${inspections}/rectifications/${id(r)}/verify`, { method: 'POST', body }),
  };
}
