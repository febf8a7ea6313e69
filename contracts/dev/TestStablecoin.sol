// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title TestStablecoin: a 6-decimal dollar token for the dev chain's demo firm and the tests
/// @notice Anyone may mint: it stands in for a real stablecoin (USDC has 6 decimals too) so that the
/// demo's clients can pay invoices. It is never deployed by `firm deploy`, only by the dev chain's seed
/// and the tests; the books accept it only after a vote puts it on their allow-list.
contract TestStablecoin is ERC20 {
    constructor() ERC20("Test USD", "tUSD") {}

    /// @notice 6, as USDC.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` (in 10^-6 units) to `to`. Dev chain only: there is no supply control.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
