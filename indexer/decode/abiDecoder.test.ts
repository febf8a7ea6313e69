import fc from "fast-check";
import {
  type Abi,
  type AbiEvent,
  type AbiFunction,
  type AbiParameter,
  decodeEventLog,
  decodeFunctionData,
  encodeAbiParameters,
  encodeEventTopics,
  encodeFunctionData,
  erc20Abi,
  type Hex,
} from "viem";
import { describe, expect, it } from "vitest";
import { compileCallDecoder, compileEventDecoder, decodesWithoutViem } from "./abiDecoder.ts";
import { FIRM_ABIS } from "./logs.ts";

const EVENTS = Object.values(FIRM_ABIS).flatMap((abi) =>
  (abi as readonly AbiEvent[]).filter((item) => item.type === "event"),
);

const hexOf = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map(toHex);

/** Random values of one ABI parameter, as viem's encoder takes them. */
function valueOfParameter(parameter: AbiParameter): fc.Arbitrary<unknown> {
  if (parameter.type === "tuple" && "components" in parameter)
    return fc.record(
      Object.fromEntries(parameter.components.map((c) => [c.name as string, valueOfParameter(c)])),
    );
  return randomValue(parameter.type);
}

/** Random values of one ABI type, as viem's encoder takes them. */
function randomValue(type: string): fc.Arbitrary<unknown> {
  if (type.endsWith("[]")) return fc.array(randomValue(type.slice(0, -2)), { maxLength: 4 });
  if (type === "address") return hexOf(20);
  if (type === "bool") return fc.boolean();
  if (type === "string") return fc.string({ maxLength: 40, unit: "grapheme" });
  if (type === "bytes") return fc.uint8Array({ maxLength: 70 }).map(toHex);
  const fixed = /^bytes(\d+)$/.exec(type);
  if (fixed) return hexOf(Number(fixed[1]));
  const uint = /^uint(\d+)$/.exec(type);
  if (uint) {
    const bits = Number(uint[1]);
    const big = fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
    return bits > 48 ? big : big.map(Number);
  }
  const int = /^int(\d+)$/.exec(type);
  if (int) {
    const bits = BigInt(int[1] as string);
    const [min, max] = [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
    // The boundaries and the values around zero, where two's complement goes wrong, come up often.
    const big = fc.oneof(fc.bigInt({ min, max }), fc.constantFrom(min, min + 1n, -1n, 0n, 1n, max - 1n, max));
    return bits > 48n ? big : big.map(Number);
  }
  throw new Error(`no generator for ${type}`);
}

function toHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes).toString("hex")}`;
}

/** What the mirror takes from viem's decoder: its args with every address lowercased. */
function lowercaseAddresses(inputs: readonly AbiParameter[], args: Record<string, unknown>) {
  const out = { ...args };
  for (const input of inputs) {
    const name = input.name as string;
    if (input.type === "address") out[name] = (args[name] as string).toLowerCase();
    if (input.type === "address[]") out[name] = (args[name] as string[]).map((a) => a.toLowerCase());
  }
  return out;
}

function encodeLog(item: AbiEvent, args: Record<string, unknown>) {
  const topics = encodeEventTopics({ abi: [item], eventName: item.name, args } as never) as Hex[];
  const dataInputs = item.inputs.filter((input) => !input.indexed);
  const data = encodeAbiParameters(
    dataInputs,
    dataInputs.map((input) => args[input.name as string]),
  );
  return { topics, data };
}

describe("compileEventDecoder", () => {
  it("reads every event of the firm's ABIs without viem", () => {
    expect(EVENTS.filter((item) => !decodesWithoutViem(item)).map((item) => item.name)).toEqual([]);
    const fixedArray = { type: "event", name: "T", inputs: [{ name: "t", type: "uint256[2]" }] };
    expect(decodesWithoutViem(fixedArray as AbiEvent)).toBe(false);
  });

  for (const item of EVENTS) {
    it(`decodes ${item.name} exactly as viem's decodeEventLog does (property)`, () => {
      const decode = compileEventDecoder(item);
      const args = fc.record(
        Object.fromEntries(item.inputs.map((input) => [input.name as string, randomValue(input.type)])),
      );
      fc.assert(
        fc.property(args, (values) => {
          const { topics, data } = encodeLog(item, values);
          const expected = decodeEventLog({ abi: [item], topics: topics as [Hex], data, strict: true });
          const decoded = decode(topics, data) as Record<string, unknown> | undefined;
          if (expected.args === undefined) expect(decoded).toBeUndefined();
          // Addresses come out lowercase word by word, checksummed from viem: the mirror lowercases all.
          else
            expect(lowercaseAddresses(item.inputs, decoded ?? {})).toEqual(
              lowercaseAddresses(item.inputs, expected.args as Record<string, unknown>),
            );
        }),
        { numRuns: 40 },
      );
    });
  }

  it("throws, as viem does, when the data is cut short or a topic is missing", () => {
    const item = EVENTS.find((event) => event.name === "GrantReleased") as AbiEvent;
    const decode = compileEventDecoder(item);
    const { topics, data } = encodeLog(
      item,
      Object.fromEntries(
        item.inputs.map((input) => [
          input.name as string,
          input.type === "address" ? `0x${"ab".repeat(20)}` : 5n,
        ]),
      ),
    );
    expect(() => decode(topics, data.slice(0, -2) as Hex)).toThrowError(
      /the data ends at byte 63, a value runs to byte 64/,
    );
    expect(() => decode(topics.slice(0, -1), data)).toThrowError(/topics/);
    expect(() =>
      decodeEventLog({ abi: [item], topics: topics as [Hex], data: data.slice(0, -2) as Hex }),
    ).toThrow();
  });

  it("refuses a bool word that is neither 0 nor 1, and a small integer with high bits set", () => {
    const flag = {
      type: "event",
      name: "Flag",
      inputs: [
        { name: "on", type: "bool" },
        { name: "n", type: "uint48" },
      ],
    } as const;
    const decode = compileEventDecoder(flag as AbiEvent);
    const topic0 = encodeEventTopics({ abi: [flag], eventName: "Flag" })[0] as Hex;
    const word = (last: string) => last.padStart(64, "0");
    expect(decode([topic0], `0x${word("1")}${word("2a")}`)).toEqual({ on: true, n: 42 });
    expect(() => decode([topic0], `0x${word("2")}${word("2a")}`)).toThrowError(/not a bool/);
    expect(() => decode([topic0], `0x${word("1")}${`1${"0".repeat(63)}`}`)).toThrowError(/does not fit/);
  });
});

describe("compileEventDecoder on signed integers", () => {
  const INT_TYPES = ["int8", "int16", "int24", "int32", "int48", "int56", "int64", "int128", "int256"];
  const item = {
    type: "event",
    name: "Signed",
    inputs: [
      { name: "who", type: "address", indexed: true },
      { name: "at", type: "int16", indexed: true },
      ...INT_TYPES.map((type) => ({ name: `v_${type}`, type })),
      { name: "list", type: "int16[]" },
    ],
  } as const;
  const decode = compileEventDecoder(item as AbiEvent);
  const viem = (topics: Hex[], data: Hex) =>
    decodeEventLog({ abi: [item], topics: topics as [Hex], data, strict: true }).args;

  it("reads every int width without viem", () => {
    expect(decodesWithoutViem(item as AbiEvent)).toBe(true);
  });

  it("decodes negative, positive and boundary values exactly as viem does (property)", () => {
    const args = fc.record({
      who: hexOf(20),
      at: randomValue("int16"),
      ...Object.fromEntries(INT_TYPES.map((type) => [`v_${type}`, randomValue(type)])),
      list: randomValue("int16[]"),
    });
    fc.assert(
      fc.property(args, (values) => {
        const { topics, data } = encodeLog(item as AbiEvent, values);
        expect(lowercaseAddresses(item.inputs, decode(topics, data) as Record<string, unknown>)).toEqual(
          lowercaseAddresses(item.inputs, viem(topics, data) as Record<string, unknown>),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("gives the boundaries as viem does: numbers up to 48 bits, bigints above", () => {
    const values = {
      who: `0x${"ab".repeat(20)}`,
      at: -9000,
      v_int8: -128,
      v_int16: -18000,
      v_int24: 8_388_607,
      v_int32: -1,
      v_int48: -(2 ** 47),
      v_int56: -(1n << 55n),
      v_int64: (1n << 63n) - 1n,
      v_int128: -1n,
      v_int256: -(1n << 255n),
      list: [-32768, 32767, 0, -1],
    };
    const { topics, data } = encodeLog(item as AbiEvent, values);
    const decoded = decode(topics, data) as Record<string, unknown>;
    expect({ ...decoded, who: values.who }).toEqual(values);
    expect(decoded).toEqual({ ...(viem(topics, data) as object), who: values.who });
  });

  it("refuses a small int whose high bits are not its sign extended", () => {
    const small = { type: "event", name: "Small", inputs: [{ name: "n", type: "int16" }] } as const;
    const decodeSmall = compileEventDecoder(small as AbiEvent);
    const topic0 = encodeEventTopics({ abi: [small], eventName: "Small" })[0] as Hex;
    expect(decodeSmall([topic0], `0x${"f".repeat(60)}dcd8`)).toEqual({ n: -9000 });
    // As for uints, the check is at 48 bits (viem checks no range): a positive 48-bit low part under
    // a negative head, and a negative one under a zero head.
    expect(() => decodeSmall([topic0], `0x${"f".repeat(52)}000000000001`)).toThrowError(/does not fit/);
    expect(() => decodeSmall([topic0], `0x${"0".repeat(52)}ffffffffffff`)).toThrowError(/does not fit/);
  });
});

describe("compileEventDecoder on hand-made data", () => {
  const item = {
    type: "event",
    name: "Note",
    inputs: [
      { name: "id", type: "uint256", indexed: true },
      { name: "text", type: "string" },
      { name: "blobs", type: "bytes[]" },
    ],
  } as const;
  const decode = compileEventDecoder(item as AbiEvent);
  const topics = encodeEventTopics({ abi: [item], eventName: "Note", args: { id: 7n } }) as Hex[];
  const word = (n: number) => n.toString(16).padStart(64, "0");
  const viem = (data: Hex) =>
    decodeEventLog({ abi: [item], topics: topics as [Hex], data, strict: true }).args;

  it("decodes invalid UTF-8 with replacement characters, as viem does", () => {
    // text = bytes ff 61 c3 (invalid lead byte, "a", a truncated sequence); blobs = [].
    const data: Hex = `0x${word(64)}${word(128)}${word(3)}${"ff61c3".padEnd(64, "0")}${word(0)}`;
    expect(decode(topics, data)).toEqual(viem(data));
    expect((decode(topics, data) as { text: string }).text).toBe("\uFFFDa\uFFFD");
  });

  it("throws where viem throws: an offset past the end, a length past the end", () => {
    const pastEnd: Hex = `0x${word(4096)}${word(64)}${word(0)}`;
    expect(() => viem(pastEnd)).toThrow();
    expect(() => decode(topics, pastEnd)).toThrowError(/the data ends at byte 96/);
    const longArray: Hex = `0x${word(64)}${word(96)}${word(0)}${word(1_000_000)}`;
    expect(() => viem(longArray)).toThrow();
    expect(() => decode(topics, longArray)).toThrowError(/the data ends/);
  });

  it("refuses data that is not whole bytes of hex, and a topic that is not a word", () => {
    expect(() => decode(topics, "0x123")).toThrowError(/not whole bytes of hex/);
    expect(() => decode(topics, `0x${"zz".repeat(96)}`)).toThrowError(/not whole bytes of hex/);
    expect(() => decode([topics[0] as Hex, "0x07"], `0x${word(64)}`)).toThrowError(/not a 32-byte hex word/);
  });
});

describe("compileCallDecoder", () => {
  const abis: [string, Abi][] = [...Object.entries(FIRM_ABIS), ["erc20", erc20Abi]];
  const lowercase = (value: unknown): unknown =>
    typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value)
      ? value.toLowerCase()
      : Array.isArray(value)
        ? value.map(lowercase)
        : value;

  for (const [name, abi] of abis) {
    it(`decodes every function of ${name} exactly as viem's decodeFunctionData does (property)`, () => {
      const decode = compileCallDecoder(abi);
      const functions = (abi as readonly AbiFunction[]).filter((item) => item.type === "function");
      const call = fc
        .constantFrom(...functions)
        .chain((item) => fc.tuple(fc.constant(item), fc.tuple(...item.inputs.map(valueOfParameter))));
      fc.assert(
        fc.property(call, ([item, args]) => {
          const data = encodeFunctionData({ abi: [item], functionName: item.name, args } as never);
          const expected = decodeFunctionData({ abi: [item], data });
          const decoded = decode(data);
          expect(decoded.functionName).toBe(expected.functionName);
          expect(decoded.args.map(lowercase)).toEqual((expected.args ?? []).map(lowercase));
        }),
        { numRuns: 300 },
      );
    });
  }

  it("throws on an unknown selector and on calldata cut short", () => {
    const decode = compileCallDecoder(erc20Abi);
    const data = encodeFunctionData({
      abi: erc20Abi,
      functionName: "transfer",
      args: [`0x${"ab".repeat(20)}`, 5n],
    });
    expect(() => decode(`0xdeadbeef${data.slice(10)}`)).toThrowError(
      /no function of the ABI has the selector 0xdeadbeef/,
    );
    expect(() => decode(data.slice(0, -2) as Hex)).toThrowError(/the data ends/);
  });
});
