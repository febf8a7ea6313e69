// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title RefTimelock
/// @notice OpenZeppelin's TimelockController, unchanged. It is concrete already; this contract only exists
///         because Hardhat emits artifacts for project sources, not for contracts inside node_modules,
///         and the benchmark deploys by artifact name.
contract RefTimelock is TimelockController {
    /// @notice Creates the timelock with its roles.
    /// @param minDelay Seconds an operation waits between scheduling and execution.
    /// @param proposers Accounts granted the proposer and canceller roles.
    /// @param executors Accounts granted the executor role; address(0) opens execution to anyone.
    /// @param admin Optional extra admin for the initial wiring, to renounce afterwards; address(0) for none.
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
