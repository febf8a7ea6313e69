// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IMemberSource} from "./IMemberSource.sol";
import {IPartnership} from "./IPartnership.sol";

/// @notice The part of {Partnership} the governor reads: ballots, and the member records the
/// practice registry reads too.
interface IBallotSource is IMemberSource {
    /// @notice The ballots `voter` holds at `timepoint`, with their weights.
    function ballot(address voter, uint256 timepoint) external view returns (IPartnership.Ballot memory);
    /// @notice Partners at `timepoint` (each holds one ballot, cast by them or by their cover).
    function headcountAt(uint256 timepoint) external view returns (uint256);
    /// @notice The cover holding `partner`'s ballot at `timepoint`, 0 when the partner held it.
    function coverAt(address partner, uint256 timepoint) external view returns (address);
    /// @notice `account`'s voting units now.
    function getVotes(address account) external view returns (uint256);
    /// @notice A grant's beneficiary first, then its terms and progress.
    function grantOf(
        uint256 grantId
    ) external view returns (address beneficiary, uint64 units, uint64 released, uint48 start, uint48 cliffEnd, uint48 end, uint48 revokedAt);
    /// @notice The practice registry.
    function practices() external view returns (address);
    /// @notice The revenue-share contract.
    function revenueShare() external view returns (address);
    /// @notice The voting units partners held at `timepoint`.
    function partnerVotesAt(uint256 timepoint) external view returns (uint256);
    /// @notice `account`'s voting units at `timepoint`.
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256);
    /// @notice `account`'s ballot position, 0 for a non-member.
    function memberIndex(address account) external view returns (uint256);
}
