// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from
    "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";

/// @title RefGovernor
/// @notice Unmodified OpenZeppelin governor in the Contracts Wizard shape, the reference side of the gas
///         benchmark. Nothing here is tuned: the point is to measure what the stock modules cost.
/// @dev The clock comes from the token (GovernorVotes), so with RefEquityToken delay and period are seconds.
contract RefGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl
{
    /// @notice Wires the governor to its token and timelock.
    /// @param token Voting token (ERC-5805).
    /// @param timelock Timelock that holds the assets and executes passed proposals.
    /// @param delay Voting delay, in clock units (seconds here).
    /// @param period Voting period, in clock units (seconds here).
    /// @param quorumNumerator Quorum as a percentage of the total supply at the snapshot.
    constructor(IVotes token, TimelockController timelock, uint48 delay, uint32 period, uint256 quorumNumerator)
        Governor("RefGovernor")
        // Threshold 0: any partner may propose, as in the project's governor.
        GovernorSettings(delay, period, 0)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(quorumNumerator)
        GovernorTimelockControl(timelock)
    {}

    // The overrides below only resolve multiple inheritance; each defers to the linearised parents.

    /// @notice Seconds between a proposal's creation and the start of voting.
    /// @return The voting delay in clock units.
    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    /// @notice Length of the voting window.
    /// @return The voting period in clock units.
    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    /// @notice Votes needed for a proposal to reach quorum at `timepoint`.
    /// @param timepoint Snapshot timepoint.
    /// @return The quorum in token units.
    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return super.quorum(timepoint);
    }

    /// @notice Lifecycle state of a proposal, including the timelock's view of it.
    /// @param proposalId Proposal identifier.
    /// @return The proposal state.
    function state(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (ProposalState)
    {
        return super.state(proposalId);
    }

    /// @notice Whether a proposal must be queued before execution (always, through the timelock).
    /// @param proposalId Proposal identifier.
    /// @return True when the proposal goes through the timelock.
    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @notice Votes an account needs to create a proposal.
    /// @return The proposal threshold (0).
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    /// @dev Schedules the batch on the timelock.
    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    /// @dev Executes the batch through the timelock.
    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    /// @dev Cancels the proposal and its timelock operation, if any.
    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    /// @dev The timelock, not the governor, is the executor that holds funds and permissions.
    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
