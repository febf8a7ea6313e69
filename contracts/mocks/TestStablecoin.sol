// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title TestStablecoin: a mintable six-decimal ERC-20 standing in for a stablecoin in tests
/// @notice Anyone may mint. It pays ERC-20 revenue and buy-backs in tests and is the demo firm's client
/// currency on the dev chain (`npm start`); `firm deploy` never deploys it.
contract TestStablecoin is ERC20 {
    constructor() ERC20("Test USD", "tUSD") {}

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Six decimals, as USDC.
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
