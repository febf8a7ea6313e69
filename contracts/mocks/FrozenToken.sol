// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title FrozenToken: an ERC-20 whose transfers all revert once minted
/// @notice For tests only: a listed treasury token that can no longer move (paused, blacklisted)
/// must not block a member's withdrawal.
contract FrozenToken is ERC20 {
    /// @notice Every transfer reverts.
    error FrozenTokenFrozen();

    constructor() ERC20("Frozen", "FRZ") {}

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0)) revert FrozenTokenFrozen();
        super._update(from, to, value);
    }
}
