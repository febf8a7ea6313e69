// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {Directory} from "../../../contracts/Directory.sol";
import {FirmTimelock} from "../../../contracts/FirmTimelock.sol";
import {Partnership} from "../../../contracts/Partnership.sol";
import {Withdrawals} from "../../../contracts/Withdrawals.sol";
import {IExitLocks} from "../../../contracts/interfaces/IExitLocks.sol";
import {IFirmGovernor} from "../../../contracts/interfaces/IFirmGovernor.sol";
import {IMemberSource} from "../../../contracts/interfaces/IMemberSource.sol";
import {IWithdrawingPartnership} from "../../../contracts/interfaces/IWithdrawingPartnership.sol";
import {vm} from "./Vm.sol";

// FirmGovernor as the tests call it. The tests cannot import the contract: it compiles only with the
// IR pipeline (hardhat.config.ts gives it that as a root file), and a test importing it would compile
// it with the test's settings. So it is deployed from its own artifact and called through its two
// interfaces.
interface IFirmGovernorUnderTest is IGovernor, IFirmGovernor {}

// The governor's InitialSettings, field for field (a static tuple in its constructor's ABI).
struct GovernanceSettings {
    uint48 votingDelay;
    uint32 votingPeriod;
    uint48 gracePeriod;
    uint16 equityQuorumBps;
    uint16 headcountQuorumBps;
}

struct FirmContracts {
    FirmTimelock timelock;
    Partnership partnership;
    IFirmGovernorUnderTest governor;
    Withdrawals withdrawals;
    Directory directory;
}

// Deploys and wires a firm as ignition/modules/Firm.ts does: the deployer (this contract) is the
// timelock's admin only long enough to make the governor its only proposer, canceller and executor and
// the withdrawal desk its only WITHDRAWAL_ROLE, then renounces, so nobody keeps a back door.
abstract contract FirmDeployer {
    function _deployFirm(
        address[] memory founders,
        uint64[] memory units,
        uint256 timelockDelay,
        GovernanceSettings memory settings
    ) internal returns (FirmContracts memory f) {
        f.timelock = new FirmTimelock(timelockDelay, address(this));
        f.partnership = new Partnership(address(f.timelock), 90 days, founders, units);
        f.directory = new Directory(IMemberSource(address(f.partnership)), address(f.timelock));
        bytes memory code = abi.encodePacked(
            vm.getCode("contracts/FirmGovernor.sol:FirmGovernor"),
            abi.encode("MSP IT Partners", address(f.partnership), address(f.timelock), settings, address(f.directory))
        );
        address governor;
        assembly ("memory-safe") {
            governor := create(0, add(code, 0x20), mload(code))
        }
        require(governor != address(0), "governor deployment failed");
        f.governor = IFirmGovernorUnderTest(governor);
        f.withdrawals = new Withdrawals(IWithdrawingPartnership(address(f.partnership)), IExitLocks(governor), address(f.timelock));
        f.timelock.grantRole(f.timelock.PROPOSER_ROLE(), governor);
        f.timelock.grantRole(f.timelock.CANCELLER_ROLE(), governor);
        f.timelock.grantRole(f.timelock.EXECUTOR_ROLE(), governor);
        f.timelock.grantRole(f.timelock.WITHDRAWAL_ROLE(), address(f.withdrawals));
        f.timelock.renounceRole(f.timelock.DEFAULT_ADMIN_ROLE(), address(this));
    }
}
