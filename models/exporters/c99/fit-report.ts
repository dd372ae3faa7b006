// "Does it fit my board?": flash for weights and code, RAM for the arena and stack, MAC count and a
// plain verdict, computed from the generated model before anything is written.

import { EdgeTrainerError } from '../../errors.js';
import type { BoardSpec } from './boards.js';

// NOTE: code sizes are estimates, not measured per target: about 6 KB of Cortex-M code (-Os) for
// the kernels, and 40 bytes per kernel call in model_invoke().
export const KERNEL_CODE_BYTES = 6 * 1024;
export const CODE_BYTES_PER_OPERATOR = 40;
/** Stack the kernels need at most (locals and call frames), an estimate with headroom. */
export const KERNEL_STACK_BYTES = 1024;
/** Stack per nested stage function of a row-streamed chain, an estimate (frame plus row counter). */
export const CHAIN_STAGE_STACK_BYTES = 64;

export interface FitReport {
  board: { id: string; name: string; flashBytes: number; ramBytes: number; reservedFlashBytes: number; reservedRamBytes: number };
  flash: { constantBytes: number; codeBytes: number; totalBytes: number; availableBytes: number };
  ram: { arenaBytes: number; stackBytes: number; totalBytes: number; availableBytes: number };
  macs: number;
  operators: number;
  fits: boolean;
  /** One plain sentence for people. */
  verdict: string;
}

/** Formats a byte count in KB with one decimal, as the fit report and the package READMEs show it. */
export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function computeFitReport(
  board: BoardSpec,
  model: { constantBytes: number; arenaBytes: number; macs: number; operators: number; longestChain?: number },
): FitReport {
  const codeBytes = KERNEL_CODE_BYTES + CODE_BYTES_PER_OPERATOR * model.operators;
  const flashTotal = model.constantBytes + codeBytes;
  const stackBytes = KERNEL_STACK_BYTES + CHAIN_STAGE_STACK_BYTES * (model.longestChain ?? 0);
  const ramTotal = model.arenaBytes + stackBytes;
  const flashAvailable = board.flashBytes - board.reservedFlashBytes;
  const ramAvailable = board.ramBytes - board.reservedRamBytes;
  const fits = flashTotal <= flashAvailable && ramTotal <= ramAvailable;
  const problems: string[] = [];
  if (flashTotal > flashAvailable) problems.push(`flash is ${kb(flashTotal - flashAvailable)} short (needs ${kb(flashTotal)}, ${kb(flashAvailable)} free)`);
  if (ramTotal > ramAvailable) problems.push(`RAM is ${kb(ramTotal - ramAvailable)} short (needs ${kb(ramTotal)}, ${kb(ramAvailable)} free)`);
  const verdict = fits
    ? `Fits on ${board.name}: the model needs ${kb(flashTotal)} of the ${kb(flashAvailable)} flash and ${kb(ramTotal)} of the ${kb(ramAvailable)} RAM left for it.`
    : `Does not fit on ${board.name}: ${problems.join('; ')}.`;
  return {
    board: { id: board.id, name: board.name, flashBytes: board.flashBytes, ramBytes: board.ramBytes, reservedFlashBytes: board.reservedFlashBytes, reservedRamBytes: board.reservedRamBytes },
    flash: { constantBytes: model.constantBytes, codeBytes, totalBytes: flashTotal, availableBytes: flashAvailable },
    ram: { arenaBytes: model.arenaBytes, stackBytes, totalBytes: ramTotal, availableBytes: ramAvailable },
    macs: model.macs,
    operators: model.operators,
    fits,
    verdict,
  };
}

/** Throws when the report finds that the model does not fit, with the shortfall and what to try. */
export function assertFits(report: FitReport, source: string): void {
  if (report.fits) return;
  throw new EdgeTrainerError('invalid_input', `${report.verdict} Model: ${source}.`, {
    path: source,
    hint: 'Train the 96x96 grayscale model (mobilenet-v1-96-gray) or distil this model into a smaller one, then export again. For a larger board, name it with --board (esp32, pico, esp32s3) or give --flash-kb and --ram-kb; --allow-oversize writes the package anyway.',
    key: 'model_too_large',
    params: {
      file: source,
      board: report.board.name,
      flash_needed: kb(report.flash.totalBytes),
      flash_free: kb(report.flash.availableBytes),
      ram_needed: kb(report.ram.totalBytes),
      ram_free: kb(report.ram.availableBytes),
    },
  });
}
