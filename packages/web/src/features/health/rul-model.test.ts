import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ProfileDto } from '@yulian/contracts';
import { ApiError } from '../../api/client';
import { fakeFetch } from '../../api/fake-fetch';
import { I18nProvider } from '../../i18n';
import { ErrorAlert } from '../../ui/error-alert';
import { createHealthApi, type RulBinding, type RulModelInfo } from './health-api';
import { RulModelSection } from './rul-model-section';
import { boundModel, defaultInputs, modelNameFromFile, numericPoints, uploadModelFile } from './rul-model-form';

const model: RulModelInfo = {
  id: 'm1',
  tenantId: 't1',
  name: '轴承磨损 Bearing wear (virtual factory)',
  description: '',
  sensors: [1, 2, 3],
  window: 20,
  minHistory: 3,
  cap: 120,
  training: { dataset: 'virtual factory bearing wear', seed: 1, members: 1, trainUnits: 19, validationUnits: 5, validationRmse: 12.345, trainedAt: '2026-11-29T00:00:00.000Z' },
  createdBy: null,
  createdAt: '2026-11-29T00:00:00.000Z',
};
const binding: RulBinding = {
  id: 'b1',
  tenantId: 't1',
  profileId: 'p1',
  modelId: 'm1',
  inputs: [
    { sensor: 1, point: 'vibration_rms', agg: 'max' },
    { sensor: 2, point: 'vibration_rms', agg: 'avg' },
    { sensor: 3, point: 'spindle_temp', agg: 'avg' },
  ],
  cycleSeconds: 60,
  createdBy: null,
  createdAt: '2026-11-29T00:00:00.000Z',
};
const point = (key: string, dataType: ProfileDto['points'][number]['dataType'] = 'float32') => ({ key, name: '', unit: '', dataType, access: 'read' as const, multiplier: 1, offset: 0 });
const profile: ProfileDto = {
  id: 'p1',
  tenantId: 't1',
  name: '立式加工中心',
  description: '',
  protocol: 'modbus-tcp',
  manufacturer: '',
  model: '',
  defaults: {},
  points: [point('vibration_rms'), point('spindle_temp'), point('program', 'string'), point('spindle_speed', 'uint16')],
  dataClass: null,
  createdAt: '2026-11-29T00:00:00.000Z',
  updatedAt: '2026-11-29T00:00:00.000Z',
};

describe('the RUL model API client', () => {
  it('lists models and bindings, uploads a model file and binds a model to a profile on the paths docs/api.md names', async () => {
    const { fetch, calls } = fakeFetch(200, { items: [] });
    const health = createHealthApi({ token: () => 'tok', fetch });
    await health.models();
    await health.bindings();
    await health.profiles();
    await health.addModel({ name: 'bearing', file: '{"format":"yulian-rul-model"}' });
    await health.bind('p 1', { modelId: 'm1', inputs: binding.inputs, cycleSeconds: 60 });
    expect(calls.map((c) => `${c.init?.method} ${c.url}`)).toEqual(['GET /api/v1/rul/models', 'GET /api/v1/rul/bindings', 'GET /api/v1/profiles', 'POST /api/v1/rul/models', 'PUT /api/v1/profiles/p%201/rul-binding']);
    expect(JSON.parse(String(calls[3]?.init?.body))).toEqual({ name: 'bearing', file: '{"format":"yulian-rul-model"}' });
    expect(JSON.parse(String(calls[4]?.init?.body))).toEqual({ modelId: 'm1', inputs: binding.inputs, cycleSeconds: 60 });
  });

  it('uploads the file’s text under the given name', async () => {
    const { fetch, calls } = fakeFetch(201, model);
    const uploaded = await uploadModelFile(createHealthApi({ token: () => 'tok', fetch }), new File(['{"format":"yulian-rul-model","version":1}'], 'bearing-rul.json'), ' 轴承 ');
    expect(uploaded.id).toBe('m1');
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ name: '轴承', file: '{"format":"yulian-rul-model","version":1}' });
  });

  it('rejects a corrupted model file with MODEL_INVALID and the server’s message, which the console shows', async () => {
    const message = 'The model file’s checksum does not match its body: it was altered or corrupted.';
    const health = createHealthApi({ token: () => 'tok', fetch: fakeFetch(400, { error: { code: 'MODEL_INVALID', message } }).fetch });
    const refusal = await uploadModelFile(health, new File(['{"format":"yulian-rul-model"'], 'broken.json'), 'broken').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ status: 400, code: 'MODEL_INVALID', message });
    const html = renderToStaticMarkup(createElement(I18nProvider, null, createElement(ErrorAlert, { error: refusal })));
    expect(html).toContain('role="alert"');
    expect(html).toContain('模型文件无效');
    expect(html).toContain(message);
    expect(html).toContain('<code>MODEL_INVALID</code>');
  });
});

describe('the RUL binding form', () => {
  it('maps each model input to a numeric point: as the current binding does, else the first point’s mean', () => {
    const points = numericPoints(profile);
    expect(points).toEqual(['vibration_rms', 'spindle_temp', 'spindle_speed']);
    expect(defaultInputs(model, points, binding)).toEqual(binding.inputs);
    expect(defaultInputs({ sensors: [4, 1] }, points, binding)).toEqual([{ sensor: 4, point: 'vibration_rms', agg: 'avg' }, { sensor: 1, point: 'vibration_rms', agg: 'max' }]);
    // A bound point the profile no longer has is not kept.
    expect(defaultInputs({ sensors: [1] }, ['spindle_temp'], binding)).toEqual([{ sensor: 1, point: 'spindle_temp', agg: 'avg' }]);
  });

  it('names a model after its file and finds the bound model among those listed', () => {
    expect(modelNameFromFile('bearing-rul.json')).toBe('bearing-rul');
    expect(modelNameFromFile('model')).toBe('model');
    expect(boundModel(binding, [model])?.name).toBe(model.name);
    expect(boundModel(undefined, [model])).toBeUndefined();
  });
});

describe('the 剩余寿命模型 section', () => {
  const render = (props: { binding: RulBinding | undefined; canManage: boolean }) =>
    renderToStaticMarkup(
      createElement(I18nProvider, null, createElement(RulModelSection, { health: { addModel: () => Promise.resolve(model), bind: () => Promise.resolve(binding) }, profile, models: [model], onChanged: () => undefined, ...props })),
    );

  it('shows the bound model: name, training data, validation RMSE, inputs and cycle', () => {
    const html = render({ binding, canManage: false });
    expect(html).toContain('aria-label="已绑定的模型"');
    expect(html).toContain(`<dt>模型</dt><dd>${model.name}</dd>`);
    expect(html).toContain('<dt>训练数据</dt><dd>virtual factory bearing wear（19 台设备）</dd>');
    expect(html).toContain('<dt>验证 RMSE</dt><dd>12.3 个周期（5 台验证设备）</dd>');
    expect(html).toContain('输入 1 ← vibration_rms（最大值）；输入 2 ← vibration_rms（平均值）；输入 3 ← spindle_temp（平均值）');
    expect(html).toContain('<dt>周期</dt><dd>60 秒</dd>');
    // Viewers see no upload or binding.
    expect(html).not.toContain('<form');
  });

  it('offers engineers a model file to upload and the binding form, started from the current mapping', () => {
    const html = render({ binding, canManage: true });
    expect(html).toContain('aria-label="上传模型文件"');
    expect(html).toMatch(/>模型文件<\/label><input id="[^"]+" type="file" accept=".json,application\/json"\/>/);
    expect(html).toMatch(/<button type="submit" class="button button-secondary" disabled="">上传模型<\/button>/);
    expect(html).toContain('aria-label="将模型绑定到 立式加工中心"');
    expect(html).toContain(`<option value="m1" selected="">${model.name}</option>`);
    // Input 1 reads the minute's peak vibration; string points are not offered.
    expect(html).toMatch(/>输入 1 的点位<\/label><select[^>]*><option value="vibration_rms" selected="">/);
    expect(html).toMatch(/>输入 1 的聚合方式<\/label><select[^>]*><option value="avg">平均值<\/option><option value="max" selected="">最大值/);
    expect(html).not.toContain('value="program"');
    expect(html).toMatch(/<button type="submit" class="button button-primary">绑定模型<\/button>/);
  });

  it('says when no model is bound to the profile', () => {
    expect(render({ binding: undefined, canManage: false })).toContain('此型号未绑定模型，不预测剩余寿命。');
  });
});
