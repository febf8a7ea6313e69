// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// The handful of cheatcodes these tests use. forge-std is not available in a current version from
// the registry this project installs from, so the interface is declared here; the runner (Hardhat 3's
// EDR, Foundry-compatible) answers calls to the standard cheatcode address.
interface Vm {
    function warp(uint256 newTimestamp) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function expectRevert() external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert(bytes calldata revertData) external;
    function assume(bool condition) external pure;
    function deal(address account, uint256 newBalance) external;
    function label(address account, string calldata newLabel) external;
    // The next call must emit the event declared right after this cheatcode (all topics and data).
    function expectEmit() external;
    // The same, and the event must come from `emitter`.
    function expectEmit(address emitter) external;
    // Marks every storage slot of `target` cold again, so a gas measurement pays what a fresh
    // transaction would, whatever the test read before.
    function cool(address target) external;
    // A compiled artifact's creation code. The governor is deployed from its own artifact: it needs
    // the IR pipeline (hardhat.config.ts), which a test importing it would not get.
    function getCode(string calldata artifactPath) external view returns (bytes memory creationBytecode);
}

// keccak256("hevm cheat code") truncated to an address: the address every Foundry-compatible runner uses.
Vm constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
