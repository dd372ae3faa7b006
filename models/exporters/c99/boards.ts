// Frozen registry of target boards for the fit report. Flash and RAM are the chip totals; the
// reserved amounts are what the Arduino core, bootloader and stack take before the model.
// NOTE: the reserved amounts are estimates for typical Arduino sketches (core, Serial, stack), not
// measurements on each board. A real build can differ by a few tens of kilobytes.

import { EdgeTrainerError } from '../../errors.js';

export interface BoardSpec {
  id: string;
  name: string;
  flashBytes: number;
  ramBytes: number;
  reservedFlashBytes: number;
  reservedRamBytes: number;
  /** Arduino architecture for library.properties. */
  architecture: string;
}

const KB = 1024;

export const BOARDS: Readonly<Record<string, Readonly<BoardSpec>>> = Object.freeze({
  nano33ble: Object.freeze({
    id: 'nano33ble',
    name: 'Arduino Nano 33 BLE Sense',
    flashBytes: 1024 * KB,
    ramBytes: 256 * KB,
    reservedFlashBytes: 160 * KB,
    reservedRamBytes: 64 * KB,
    architecture: 'mbed_nano',
  }),
  esp32: Object.freeze({
    id: 'esp32',
    name: 'ESP32',
    flashBytes: 4096 * KB,
    ramBytes: 520 * KB,
    // The default partition table gives the sketch 1280 KB of the 4 MB.
    reservedFlashBytes: 4096 * KB - 1280 * KB + 256 * KB,
    reservedRamBytes: 200 * KB,
    architecture: 'esp32',
  }),
  pico: Object.freeze({
    id: 'pico',
    name: 'Raspberry Pi Pico',
    flashBytes: 2048 * KB,
    ramBytes: 264 * KB,
    reservedFlashBytes: 128 * KB,
    reservedRamBytes: 48 * KB,
    architecture: 'rp2040',
  }),
  esp32s3: Object.freeze({
    id: 'esp32s3',
    name: 'ESP32-S3',
    flashBytes: 8192 * KB,
    ramBytes: 512 * KB,
    reservedFlashBytes: 8192 * KB - 3072 * KB + 256 * KB,
    reservedRamBytes: 192 * KB,
    architecture: 'esp32',
  }),
});

export const BOARD_IDS: readonly string[] = Object.freeze(Object.keys(BOARDS));

/** Board for `--board`, or a custom board from `--flash-kb` and `--ram-kb` (then nothing is reserved). */
export function resolveBoard(id: string | undefined, custom: { flashKb?: number; ramKb?: number } = {}): BoardSpec {
  if (custom.flashKb !== undefined || custom.ramKb !== undefined) {
    const { flashKb, ramKb } = custom;
    if (!(Number.isFinite(flashKb) && flashKb! > 0 && Number.isFinite(ramKb) && ramKb! > 0)) {
      throw new EdgeTrainerError('invalid_argument', `A custom board needs both --flash-kb and --ram-kb as positive numbers, got ${flashKb ?? 'none'} and ${ramKb ?? 'none'}.`, {
        hint: 'Example: --flash-kb 1024 --ram-kb 256',
        key: 'board_custom_invalid',
        params: { flash: flashKb ?? '-', ram: ramKb ?? '-' },
      });
    }
    return { id: id ?? 'custom', name: `custom board (${flashKb} KB flash, ${ramKb} KB RAM)`, flashBytes: flashKb! * KB, ramBytes: ramKb! * KB, reservedFlashBytes: 0, reservedRamBytes: 0, architecture: '*' };
  }
  const board = BOARDS[(id ?? 'nano33ble').toLowerCase()];
  if (!board) {
    throw new EdgeTrainerError('invalid_argument', `Unknown board "${id}".`, {
      hint: `Use one of ${BOARD_IDS.join(', ')} (--board), or give --flash-kb and --ram-kb for another board.`,
      key: 'board_unknown',
      params: { board: id ?? '', boards: BOARD_IDS.join(', ') },
    });
  }
  return board;
}
