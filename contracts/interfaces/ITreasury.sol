// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice The part of {FirmTimelock} the withdrawal desk ({Withdrawals}) calls.
interface ITreasury {
    /// @notice Sends `amount` of `token` (0: ETH) from the treasury to the desk.
    function payOut(address token, uint256 amount) external;
}
