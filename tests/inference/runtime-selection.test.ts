import { describe, expect, it } from 'vitest';
import { activeBackend, activeBaseRuntime, initBackend } from '../../models/backend.js';
import { createEmbedder } from '../../models/embeddings/embedder.js';

// Steps share the process-wide backend state, so they run in this order.
describe('base runtime selection', () => {
  it('auto runs the base on onnx', async () => {
    expect(await initBackend('auto')).toBe('onnx');
    expect(activeBaseRuntime()).toBe('onnx');
    expect(activeBackend()).toBe('wasm');
  });

  it('auto embedder is onnx', async () => {
    const embedder = await createEmbedder('mobilenet-v1-96-gray');
    expect(embedder.runtime).toBe('onnx');
    expect(embedder.embeddingSize).toBe(256);
    embedder.dispose();
  });

  it('named tfjs backend runs the base', async () => {
    expect(await initBackend('wasm')).toBe('wasm');
    expect(activeBaseRuntime()).toBe('tfjs');
    const embedder = await createEmbedder('mobilenet-v1-96-gray');
    expect(embedder.runtime).toBe('tfjs');
    embedder.dispose();
  });

  it('auto keeps a named choice', async () => {
    expect(await initBackend('auto')).toBe('wasm');
  });

  it('onnx request switches back', async () => {
    expect(await initBackend('onnx')).toBe('onnx');
    expect(activeBaseRuntime()).toBe('onnx');
  });

  it('explicit onnx runtime', async () => {
    const embedder = await createEmbedder('mobilenet-v2-224', 'onnx');
    expect(embedder.runtime).toBe('onnx');
    expect(embedder.input).toEqual({ size: 224, channels: 3 });
    embedder.dispose();
  });
});
