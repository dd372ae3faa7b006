import { describe, expect, it, vi } from 'vitest';
import { activeBaseRuntime, initBackend } from '../../models/backend.js';
import { createEmbedder } from '../../models/embeddings/embedder.js';

// A missing native binding cannot be caused on a working install, so the import fails by mock.
vi.mock('onnxruntime-node', () => {
  throw new Error('onnxruntime_binding.node: cannot open shared object file');
});

describe('base runtime without onnxruntime', () => {
  it('onnx request is rejected', async () => {
    await expect(initBackend('onnx')).rejects.toMatchObject({ code: 'backend_unavailable' });
  });

  it('auto falls back to tfjs', async () => {
    expect(await initBackend('auto')).toBe('wasm');
    expect(activeBaseRuntime()).toBe('tfjs');
    const embedder = await createEmbedder('mobilenet-v1-96-gray');
    expect(embedder.runtime).toBe('tfjs');
    embedder.dispose();
  });

  it('explicit onnx embedder is rejected', async () => {
    await expect(createEmbedder('mobilenet-v1-96-gray', 'onnx')).rejects.toMatchObject({ code: 'backend_unavailable' });
  });
});
