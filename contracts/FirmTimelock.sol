// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title FirmTimelock: the treasury, and the only account that can change the firm
/// @notice OpenZeppelin's TimelockController, unchanged. At deployment the governor becomes its only
/// proposer, canceller and executor, and the deployer renounces the admin role, so no one holds a back
/// door: every change passes a vote and waits out the delay. It receives the firm's ETH and ERC-20
/// revenue.
contract FirmTimelock is TimelockController {
    /// @param minDelay Seconds between queueing and executing a proposal.
    /// @param admin The deployer, only long enough to hand the roles to the governor, then renounced.
    constructor(uint256 minDelay, address admin) TimelockController(minDelay, new address[](0), new address[](0), admin) {}
}
