// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPartnership} from "./IPartnership.sol";
import {IPractices} from "./IPractices.sol";

/// @notice The part of {Practices} that the books read: a practice's lead and status, and seat roles
/// over time.
interface ISeatSource {
    /// @notice A practice by slug.
    function practice(
        string calldata slug
    )
        external
        view
        returns (
            bytes32 id,
            string memory name,
            address lead,
            IPractices.PracticeStatus status,
            uint48 createdAt,
            uint256 memberCount
        );

    /// @notice `account`'s role in practice `practiceId` and since when (None if not seated).
    function seatOf(bytes32 practiceId, address account) external view returns (IPartnership.PracticeRole role, uint48 since);

    /// @notice `account`'s role in practice `practiceId` at `timepoint` (None if not seated then).
    function roleAt(bytes32 practiceId, address account, uint256 timepoint) external view returns (IPartnership.PracticeRole);

    /// @notice How many seats of each role practice `practiceId` had at `timepoint`.
    function roleCountsAt(
        bytes32 practiceId,
        uint256 timepoint
    ) external view returns (uint256 leads, uint256 members, uint256 technicians);
}
