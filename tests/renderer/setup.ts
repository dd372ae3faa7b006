// jsdom has no layout, so it lacks ResizeObserver, which Svelte's bind:clientWidth uses. This
// stand-in never fires, so bound sizes keep their initial values in component tests.
class NoLayoutResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver;
