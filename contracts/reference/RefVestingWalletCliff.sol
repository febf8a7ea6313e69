// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";
import {VestingWalletCliff} from "@openzeppelin/contracts/finance/VestingWalletCliff.sol";

/// @title RefVestingWalletCliff
/// @notice OpenZeppelin's VestingWalletCliff made concrete (it is abstract), with no changes, so the
///         benchmark can deploy one grant per partner and compare it with the project's grant.
contract RefVestingWalletCliff is VestingWalletCliff {
    /// @notice Creates a grant for `beneficiary`; fund it by transferring tokens to this address.
    /// @param beneficiary Owner of the wallet, who receives released tokens.
    /// @param start Unix time at which vesting starts.
    /// @param duration Vesting length in seconds.
    /// @param cliff Seconds after `start` before anything is releasable; must not exceed `duration`.
    constructor(address beneficiary, uint64 start, uint64 duration, uint64 cliff)
        VestingWallet(beneficiary, start, duration)
        VestingWalletCliff(cliff)
    {}
}
