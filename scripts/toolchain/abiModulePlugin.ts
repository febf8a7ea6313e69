// The Hardhat plugin that rewrites contracts/abi.ts (./abiModule.ts) after every successful build of
// the contracts. A hook rather than a step after `hardhat build` in each npm script, because the
// contracts are compiled from many places: the CLI (`npm install`'s postinstall, `npm run build`,
// `npm test`, `npm run lint`, the benchmarks, `hardhat test solidity`) and Hardhat's build task run in
// process (`npm start`'s dev chain, the deploy tests). Each of them goes through the build system,
// which runs this hook on success, also when every file came from the cache, so no path can leave the
// ABIs older than the artifacts (an event changed in Solidity but not in abi.ts stops the indexer
// with LogDecodeError).
import type { HardhatPlugin } from "hardhat/types/plugins";

export const abiModulePlugin: HardhatPlugin = {
  id: "msp-it-partners:abi-module",
  // Part of this project, not an npm package: nothing for Hardhat to check is installed.
  npmPackage: null,
  hookHandlers: {
    solidity: async () => ({
      default: async () => ({
        async processArtifactsAfterSuccessfulBuild(context) {
          const { writeAbiModule } = await import("./abiModule.ts");
          writeAbiModule(context.config.paths);
        },
      }),
    }),
  },
};
