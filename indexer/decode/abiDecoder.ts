// Decoders compiled once per event and per function, for the backfill's hot path. viem's
// decodeEventLog hashes the event's signature on every call to find the event (a keccak per log),
// turns the whole data into bytes, and checksums every address (another keccak) that the mirror then
// lowercases again; decodeFunctionData does the same for the calls of a proposal. Here values are
// read straight from the hex text: one-word values (uints, ints, addresses, bools, bytesN), the dynamic
// types the firm uses (bytes, string, arrays of these) and tuples of one-word values. Anything else
// (fixed-size arrays, tuples holding dynamic values) is handed to viem's decodeAbiParameters.
//
// Values match viem's (decodeEventLog with strict: true, decodeFunctionData): uints and ints of up to
// 48 bits as numbers and wider ones as bigints (ints read as two's complement of the whole word), bytes as lowercase hex, strings decoded as UTF-8 with
// replacement characters, indexed dynamic values as their topic; addresses come out lowercase (viem
// checksums them; the mirror lowercases every address anyway). Malformed data (too short, offsets
// out of bounds, a bool that is neither 0 nor 1, a small uint with high bits set, a small int whose
// high bits are not its sign extended, non-hex text) throws.
import {
  type Abi,
  type AbiEvent,
  type AbiParameter,
  decodeAbiParameters,
  type Hex,
  toFunctionSelector,
} from "viem";

/** Decodes one log of the event it was compiled for; throws an Error saying what does not fit. */
export type EventDecoder = (
  topics: readonly Hex[],
  data: Hex,
) => Record<string, unknown> | unknown[] | undefined;

/** Reads the value whose head starts at byte `slot` of `hex`, in an encoding starting at byte `base`. */
type ValueReader = (hex: string, slot: number, base: number) => unknown;
/** A reader and the size of the value's head in words: one, or a static tuple's width. */
interface Reader {
  read: ValueReader;
  words: number;
}
/** Reads a one-word value whose 64 hex digits start at character `at` of `hex`. */
type WordReader = (hex: string, at: number) => unknown;

const ZERO_WORD = "0".repeat(64);
const ONE_WORD = `${"0".repeat(63)}1`;
/** Hex digits of a word above a 48-bit number: they must be zero for the value to fit. */
const HIGH_DIGITS_48 = "0".repeat(52);
/** The same digits of a negative 48-bit number in two's complement: all ones. */
const HIGH_DIGITS_48_NEGATIVE = "f".repeat(52);
/** 2^48, subtracted from the low 48 bits of a negative small int (sign bit set) to get its value. */
const TWO_TO_48 = 2 ** 48;
/** 2^256, subtracted from a word read as a uint when its sign bit is set, to get an int256. */
const TWO_TO_256 = 1n << 256n;
/** The first hex digit of a word whose sign bit is set: 8 to f. */
const NEGATIVE_FIRST_DIGIT = /^[89a-f]/i;
const HEX_DATA = /^0x(?:[0-9a-fA-F]{2})*$/;
const TOPIC = /^0x[0-9a-fA-F]{64}$/;
const utf8 = new TextDecoder();

/**
 * Compiles the decoder of `item`.
 *
 * @example
 * const decode = compileEventDecoder(memberAdmittedAbiItem);
 * decode(log.topics, log.data); // { account: "0xab…", role: 2, index: 7n, since: 1000 }
 */
export function compileEventDecoder(item: AbiEvent): EventDecoder {
  const unnamed = item.inputs.some((input) => !input.name);
  const keyOf = (input: AbiParameter, index: number): string | number =>
    unnamed ? index : (input.name as string);
  const isIndexed = (input: AbiParameter) => "indexed" in input && input.indexed === true;
  const indexed = item.inputs.flatMap((input, index) =>
    isIndexed(input) ? [{ key: keyOf(input, index), read: topicReader(input) }] : [],
  );
  const dataInputs = item.inputs.filter((input) => !isIndexed(input));
  const dataKeys = item.inputs.flatMap((input, index) => (isIndexed(input) ? [] : [keyOf(input, index)]));
  const decodeData = parametersReader(dataInputs);

  return (topics, data) => {
    const args = (unnamed ? [] : {}) as Record<string | number, unknown>;
    for (let i = 0; i < indexed.length; i++) {
      const topic = topics[i + 1];
      if (topic === undefined)
        throw new Error(`the log has ${topics.length} topics, ${item.name} has ${indexed.length + 1}`);
      if (!TOPIC.test(topic)) throw new Error(`topic ${i + 1} (${topic}) is not a 32-byte hex word`);
      const { key, read } = indexed[i] as (typeof indexed)[number];
      args[key] = read(topic);
    }
    if (dataInputs.length > 0) {
      if (data.length <= 2) throw new Error(`the data is empty, ${item.name} has non-indexed arguments`);
      if (!HEX_DATA.test(data)) throw new Error("the data is not whole bytes of hex");
      const values = decodeData(data);
      for (let i = 0; i < dataInputs.length; i++) args[dataKeys[i] as string | number] = values[i];
    }
    return Object.keys(args).length > 0 ? args : undefined;
  };
}

/** Whether the event's values are read without viem (see the file's comment). */
export function decodesWithoutViem(item: AbiEvent): boolean {
  return item.inputs.every((input) => ("indexed" in input && input.indexed) || valueReader(input));
}

/** A decoded call: the function's name and its arguments in ABI order, as viem's decodeFunctionData. */
export interface DecodedCall {
  functionName: string;
  args: readonly unknown[];
}

/**
 * Compiles a calldata decoder for every function of `abi`. Values are as viem's decodeFunctionData
 * gives them (addresses lowercase, as in compileEventDecoder); throws on an unknown selector or
 * calldata that does not fit the function.
 *
 * @example
 * const decodeCall = compileCallDecoder(partnershipAbi);
 * decodeCall(data); // { functionName: "admit", args: ["0xab…", 2, "cloud", 1, { units: 100n, … }] }
 */
export function compileCallDecoder(abi: Abi): (data: Hex) => DecodedCall {
  const functions = new Map<string, { name: string; decode: (hex: Hex) => readonly unknown[] }>();
  for (const item of abi) {
    if (item.type !== "function") continue;
    functions.set(toFunctionSelector(item), { name: item.name, decode: parametersReader(item.inputs) });
  }
  return (data) => {
    const selector = data.slice(0, 10).toLowerCase();
    const entry = functions.get(selector);
    if (!entry) throw new Error(`no function of the ABI has the selector ${selector}`);
    const hex = `0x${data.slice(10)}` as Hex;
    if (!HEX_DATA.test(hex)) throw new Error("the calldata is not whole bytes of hex");
    return { functionName: entry.name, args: entry.decode(hex) };
  };
}

/** Reads a parameter list (an event's data, a call's arguments): ours where we can, viem's otherwise. */
function parametersReader(parameters: readonly AbiParameter[]): (hex: Hex) => readonly unknown[] {
  const readers = parameters.map(valueReader);
  if (readers.some((reader) => reader === undefined))
    return (hex) => decodeAbiParameters(parameters, hex) as readonly unknown[];
  const heads: number[] = [];
  let position = 0;
  for (const reader of readers as Reader[]) {
    heads.push(position);
    position += 32 * reader.words;
  }
  return (hex) => (readers as Reader[]).map((reader, i) => reader.read(hex, heads[i] as number, 0));
}

function valueReader(parameter: AbiParameter): Reader | undefined {
  const { type } = parameter;
  const word = wordReader(type);
  if (word) return { read: (hex, slot) => word(hex, charsAt(hex, slot, 32)), words: 1 };
  if (type === "bytes")
    return { read: (hex, slot, base) => `0x${tailBytes(hex, slot, base).toLowerCase()}`, words: 1 };
  if (type === "string")
    return {
      read: (hex, slot, base) => utf8.decode(Buffer.from(tailBytes(hex, slot, base), "hex")),
      words: 1,
    };
  if (type === "tuple") return staticTupleReader(parameter);
  if (type.endsWith("[]")) {
    const element = valueReader({ ...parameter, type: type.slice(0, -2) });
    if (!element) return undefined;
    // Each element's head is one word (an offset, for dynamic elements) or a static tuple's width.
    const stride = 32 * element.words;
    return {
      read: (hex, slot, base) => {
        const start = base + offsetAt(hex, slot);
        const length = sizeAt(hex, start);
        const first = start + 32;
        charsAt(hex, first, stride * length);
        const values: unknown[] = [];
        for (let i = 0; i < length; i++) values.push(element.read(hex, first + stride * i, first));
        return values;
      },
      words: 1,
    };
  }
  // Fixed-size arrays and dynamic tuples: viem's.
  return undefined;
}

/** A tuple of one-word values, encoded in place: an object by component name, or an array if unnamed. */
function staticTupleReader(parameter: AbiParameter): Reader | undefined {
  const components = "components" in parameter ? parameter.components : [];
  const readers = components.map((component) => wordReader(component.type));
  if (readers.some((read) => read === undefined)) return undefined;
  const unnamed = components.length === 0 || components.some((component) => !component.name);
  return {
    read: (hex, slot) => {
      const at = charsAt(hex, slot, 32 * components.length);
      const value = (unnamed ? [] : {}) as Record<string | number, unknown>;
      components.forEach((component, i) => {
        value[unnamed ? i : (component.name as string)] = (readers[i] as WordReader)(hex, at + 64 * i);
      });
      return value;
    },
    words: components.length,
  };
}

function isDynamic(type: string): boolean {
  return type === "bytes" || type === "string" || type.endsWith("[]");
}

/** The hex digits of a bytes or string value whose offset is in the word at `slot`. */
function tailBytes(hex: string, slot: number, base: number): string {
  const start = base + offsetAt(hex, slot);
  const length = sizeAt(hex, start);
  const at = charsAt(hex, start + 32, length);
  return hex.slice(at, at + 2 * length);
}

function offsetAt(hex: string, slot: number): number {
  return readSmallUint(hex, charsAt(hex, slot, 32));
}

function sizeAt(hex: string, position: number): number {
  return readSmallUint(hex, charsAt(hex, position, 32));
}

/** Where byte `position` starts in `hex`, after checking that `size` bytes follow it. */
function charsAt(hex: string, position: number, size: number): number {
  const at = 2 + 2 * position;
  if (at + 2 * size > hex.length)
    throw new Error(`the data ends at byte ${(hex.length - 2) / 2}, a value runs to byte ${position + size}`);
  return at;
}

function wordReader(type: string): WordReader | undefined {
  if (type === "address") return (hex, at) => `0x${hex.slice(at + 24, at + 64).toLowerCase()}`;
  if (type === "bool") return (hex, at) => readBool(hex.slice(at, at + 64));
  const uint = /^uint(\d*)$/.exec(type);
  if (uint) {
    const bits = Number(uint[1] || 256);
    return bits > 48 ? (hex, at) => BigInt(`0x${hex.slice(at, at + 64)}`) : readSmallUint;
  }
  const int = /^int(\d*)$/.exec(type);
  if (int) {
    const bits = Number(int[1] || 256);
    return bits > 48 ? readBigInt : readSmallInt;
  }
  const fixedBytes = /^bytes(\d+)$/.exec(type);
  if (fixedBytes) {
    const chars = 2 * Number(fixedBytes[1]);
    return (hex, at) => `0x${hex.slice(at, at + chars).toLowerCase()}`;
  }
  return undefined;
}

/** Topics hold one word each; dynamic values (string, bytes, arrays, tuples) are their hash, as is. */
function topicReader(input: AbiParameter): (topic: Hex) => unknown {
  if (input.type === "tuple" || isDynamic(input.type) || input.type.endsWith("]")) return (topic) => topic;
  const read = wordReader(input.type);
  if (read) return (topic) => read(topic, 2);
  return (topic) => decodeAbiParameters([input], topic)[0];
}

function readBool(word: string): boolean {
  if (word === ZERO_WORD) return false;
  if (word === ONE_WORD) return true;
  throw new Error(`0x${word} is not a bool`);
}

function readSmallUint(hex: string, at: number): number {
  if (hex.slice(at, at + 52) !== HIGH_DIGITS_48)
    throw new Error(`0x${hex.slice(at, at + 64)} does not fit a 48-bit integer`);
  return Number(`0x${hex.slice(at + 52, at + 64)}`);
}

/** A signed integer of more than 48 bits: the word as an int256, as viem reads it (no range check). */
function readBigInt(hex: string, at: number): bigint {
  const word = hex.slice(at, at + 64);
  const value = BigInt(`0x${word}`);
  return NEGATIVE_FIRST_DIGIT.test(word) ? value - TWO_TO_256 : value;
}

/**
 * A signed integer of at most 48 bits, as a number. Its 52 high digits must be its sign extended
 * (all 0 for a positive value, all f for a negative one); the low 12 digits are then its 48-bit
 * two's complement.
 */
function readSmallInt(hex: string, at: number): number {
  const high = hex.slice(at, at + 52).toLowerCase();
  const low = Number(`0x${hex.slice(at + 52, at + 64)}`);
  const negative = low >= TWO_TO_48 / 2;
  if (high !== (negative ? HIGH_DIGITS_48_NEGATIVE : HIGH_DIGITS_48))
    throw new Error(`0x${hex.slice(at, at + 64)} does not fit a 48-bit signed integer`);
  return negative ? low - TWO_TO_48 : low;
}
