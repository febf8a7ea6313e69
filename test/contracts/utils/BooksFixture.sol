// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Books, IClaimWindowSource} from "../../../contracts/Books.sol";
import {Practices} from "../../../contracts/Practices.sol";
import {TestStablecoin} from "../../../contracts/mocks/TestStablecoin.sol";
import {IMemberSource} from "../../../contracts/interfaces/IMemberSource.sol";
import {IPartnership} from "../../../contracts/interfaces/IPartnership.sol";
import {ISeatSource} from "../../../contracts/interfaces/ISeatSource.sol";
import {FirmFixture} from "./Firm.sol";
import {vm} from "./Vm.sol";

// FirmFixture's three founders with the books on top, the test contract again the timelock (of the
// partnership, its practices and the books). Two practices: "net" led by Alice with Bob a member and
// Dave a technician; "sec" led by Carol. T0 falls in June 2025.
abstract contract BooksFixture is FirmFixture {
    uint32 internal constant JUNE = 202_506;
    uint32 internal constant JULY = 202_507;
    uint32 internal constant AUGUST = 202_508;
    /// Mid-July and mid-August 2025 (T0 is 2025-06-15).
    uint256 internal constant IN_JULY = T0 + 30 days;
    uint256 internal constant IN_AUGUST = T0 + 61 days;

    Books internal books;
    Practices internal practices;
    TestStablecoin internal usd;

    function setUp() public virtual override {
        super.setUp();
        practices = firm.practices();
        books = new Books(IMemberSource(address(firm)), ISeatSource(address(practices)), IClaimWindowSource(address(revenue)), address(this));
        usd = new TestStablecoin();
        books.allowToken(address(usd), true);
        practices.createPractice("net", "Networking", ALICE);
        practices.setPracticeMember("net", BOB, IPartnership.PracticeRole.Member);
        firm.admit(DAVE, IPartnership.Role.Associate, "net", IPartnership.PracticeRole.Technician, _terms(0, 0, 0, 0));
        practices.createPractice("sec", "Security", CAROL);
        vm.label(address(books), "Books");
        vm.label(address(usd), "USD");
    }

    function _spenders(address a) internal pure returns (address[] memory s) {
        s = new address[](1);
        s[0] = a;
    }

    function _noSpenders() internal pure returns (address[] memory) {
        return new address[](0);
    }

    function _depositUsd(string memory slug, uint256 amount, string memory ref) internal {
        usd.mint(address(this), amount);
        usd.approve(address(books), amount);
        books.depositToken(address(usd), amount, slug, ref);
    }

    /// Closes `month` in `token` with the lockstep amount the preview states, as a proposal would.
    function _close(uint32 month, address token) internal returns (uint256 lockstep) {
        (, , lockstep, , ) = books.previewClose(month, token);
        books.closePeriod(month, token, lockstep);
    }

    function _balanceOf(address token) internal view returns (uint256) {
        return token == address(0) ? address(books).balance : usd.balanceOf(address(books));
    }
}
