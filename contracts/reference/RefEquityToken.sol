// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title RefEquityToken
/// @notice Plain OpenZeppelin voting token, the reference side of the gas benchmark. It mirrors what a
///         team would get from the Contracts Wizard so that the project's own equity token can be
///         compared against an unmodified baseline.
/// @dev Uses an ERC-6372 timestamp clock, like the project's token, so that governor settings are
///      expressed in seconds on both sides of the comparison.
contract RefEquityToken is ERC20, ERC20Permit, ERC20Votes, Ownable {
    /// @notice Deploys the token with no supply; `initialOwner` mints it.
    /// @param initialOwner Account allowed to mint.
    constructor(address initialOwner)
        ERC20("Reference Equity", "REQ")
        ERC20Permit("Reference Equity")
        Ownable(initialOwner)
    {}

    /// @notice Creates `amount` tokens for `to`.
    /// @dev Owner-only; the benchmark's deployer plays the role of the partnership's issuer.
    /// @param to Recipient of the new tokens.
    /// @param amount Number of tokens (18 decimals).
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    /// @notice Current timepoint of the token's checkpoints.
    /// @dev Timestamps rather than block numbers, so voting delay and period are in seconds.
    /// @return The current block timestamp as a uint48.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    // The name is fixed by ERC-6372, hence the naming-rule exception on the declaration line.
    /// @notice Machine-readable description of the clock, as ERC-6372 requires.
    /// @return The string "mode=timestamp".
    function CLOCK_MODE() public pure override returns (string memory) { // solhint-disable-line func-name-mixedcase
        return "mode=timestamp";
    }

    /// @notice Permit nonce of `owner`.
    /// @dev ERC20Permit and Nonces both define it; Solidity requires an explicit override.
    /// @param owner Account whose nonce is returned.
    /// @return The next nonce `owner` must sign with.
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    /// @dev ERC20 and ERC20Votes both define the balance hook; ERC20Votes moves voting units on top.
    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
