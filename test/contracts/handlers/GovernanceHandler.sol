// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {FirmTimelock} from "../../../contracts/FirmTimelock.sol";
import {Partnership} from "../../../contracts/Partnership.sol";
import {IFirmGovernor} from "../../../contracts/interfaces/IFirmGovernor.sol";
import {IWithdrawals} from "../../../contracts/interfaces/IWithdrawals.sol";
import {FirmContracts, FirmDeployer, GovernanceSettings, IFirmGovernorUnderTest} from "../utils/Governance.sol";
import {bound, toString} from "../utils/Assertions.sol";
import {vm} from "../utils/Vm.sol";

// The actor of the governance campaign: an adversarial coalition inside random firms. It deploys
// firms of 3 to 9 partners with random units (wired as in production, the handler being the deployer
// that renounces), lets partners take leave naming covers who accept or not, and has a random
// coalition propose random bundles (send ETH to an attacker, remove one or several partners, retire
// with or without a buy-back, claw back a partner's grant, grant a timelock role, change the expulsion
// quorum, a harmless updateDelay) and vote For them, the others voting Against, abstaining or staying
// away. It moves time, queues and executes what passes, lets partners rage-quit and claim, and has the
// attacker try the back doors.
//
// Beside the contracts it keeps its own model: who was a partner when and with how many units, every
// leave and cover window, which ballot each voter holds at a snapshot and which were cast how, the
// rules each proposal is decided by, every exit lock, and what the treasury should hold. The
// invariants compute majorities and supermajorities from this model alone, never from the governor's
// views. As in FirmHandler, no action reverts: outcomes that disagree with the model are recorded in
// `violation`, which the invariants require to stay empty.
contract GovernanceHandler is FirmDeployer {
    using {toString} for uint256;

    // One bucket per property: (c) expulsions, (d) the treasury, and the model of every outcome.
    enum Check {
        Expulsions,
        Treasury,
        Model
    }

    enum Kind {
        Send,
        Remove,
        Retire,
        RevokeGrant,
        GrantRole,
        SetExpulsionQuorum,
        UpdateDelay
    }

    struct Action {
        Kind kind;
        address who; // the victim of Remove, Retire and RevokeGrant
        uint256 amount; // ETH sent (Send, Retire's buy-back price), the new delay, or the quorum (e << 16 | h)
    }

    struct MemberModel {
        uint256 firm;
        uint256 index; // member index in its partnership, from 1 (also its founder grant's id)
        uint48 since;
        uint48 until; // partnership end, 0 while a partner
        bool departed;
        bool burned; // units burned by a buy-back or a rage-quit
        bool grantRevoked;
        uint64 units;
        uint256 owed; // credited by the withdrawal desk, not yet claimed
    }

    struct FirmModel {
        uint256 treasury; // the ETH the timelock should hold
        uint256 outstanding; // every unit not burned: a rage-quit's denominator
        uint256 delay; // the timelock's minimum delay
        uint16 equityQuorumBps;
        uint16 headcountQuorumBps;
    }

    struct LeaveModel {
        address partner;
        address cover;
        uint48 from;
        uint48 until;
        uint48 coverFrom; // 0: not accepted
        uint48 coverUntil;
    }

    // The expulsion supermajority for snapshots from `since`.
    struct RuleModel {
        uint48 since;
        uint16 equityBps;
        uint16 headcountBps;
    }

    struct ProposalModel {
        uint256 firm;
        uint256 id;
        bytes32 descriptionHash;
        uint48 snapshot;
        uint48 deadline;
        uint48 eta;
        address subject; // the first member an action is about: left out of both bases if a partner then
        bool expels; // removes, retires or claws back from an active partner
        bool supermajority; // expels, or a call to the timelock (but updateDelay) or to setExpulsionQuorum
        bool movesFunds; // ETH sent, a buy-back price, or a call to the timelock (but updateDelay)
        bool voted;
        bool executed;
        uint256 actions;
        uint16 expulsionEquityBps;
        uint16 expulsionHeadcountBps;
        uint256 coalition; // bit i: member i of the firm votes For
        uint256 forHeads;
        uint256 forEquity;
        uint256 againstHeads;
        uint256 againstEquity;
        uint256 abstainHeads;
        uint256 abstainEquity;
    }

    uint48 public constant VOTING_DELAY = 1;
    uint32 public constant VOTING_PERIOD = 3 days;
    uint48 public constant GRACE_PERIOD = 7 days;
    uint256 public constant TIMELOCK_DELAY = 1 days;
    uint48 public constant MIN_LEAVE = 1 days;
    uint48 public constant COOLDOWN = 7 days;
    // Bounds keep every step's loops short.
    uint256 public constant MAX_FIRMS = 6;
    uint256 public constant MAX_PROPOSALS_PER_FIRM = 10;
    address public constant ATTACKER = address(uint160(uint256(keccak256("attacker"))));

    uint48 public currentTime;
    uint256 public steps;
    uint256 public attackerReceived;
    // Campaign statistics: what the walk reached (read when tuning the campaign's size).
    uint256 public passedCount;
    uint256 public supermajorityPassedCount;
    uint256 public executedCount;
    uint256 public refusedBundleCount;
    uint256 public coverBallotCount;
    uint256 public exitCount;
    uint256 public acceptedCount;

    FirmContracts[] private _firms;
    FirmModel[] private _firmModels;
    mapping(uint256 firm => address[]) private _members;
    mapping(address account => MemberModel) private _model;
    mapping(uint256 firm => LeaveModel[]) private _leaves;
    mapping(uint256 firm => RuleModel[]) private _rules;
    mapping(uint256 firm => uint256[]) private _firmProposals;
    ProposalModel[] private _proposals;
    mapping(uint256 proposal => Action[]) private _actions;
    mapping(uint256 proposal => address[]) private _targets;
    mapping(uint256 proposal => uint256[]) private _values;
    mapping(uint256 proposal => bytes[]) private _calldatas;
    // Support + 1 of each ballot cast, by the ballot's owner (255: recused, marked at proposal time).
    mapping(uint256 proposal => mapping(address owner => uint8)) private _cast;
    // Whether `owner`'s ballot stands For a fund-moving proposal and has not been settled.
    mapping(uint256 proposal => mapping(address owner => bool)) private _locked;
    mapping(uint256 proposal => bool) private _passed;

    mapping(Check check => string) public violation;

    // The first firm, deployed by the test's setUp as production deploys it.
    function adopt(FirmContracts memory f, uint64[] memory units, uint16 equityQuorumBps, uint16 headcountQuorumBps, uint256 treasury) external {
        require(_firms.length == 0, "adopt once");
        currentTime = uint48(block.timestamp);
        _start(f, units, equityQuorumBps, headcountQuorumBps, treasury);
    }

    // Founder i of firm k: a distinct address per firm, so the model keys members by address alone.
    function memberAddress(uint256 firmIndex, uint256 i) public pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("governance member", firmIndex, i)))));
    }

    // ==========================================================================================
    // Actions (the invariant runner calls only these; see GovernanceInvariants.targetSelectors)
    // ==========================================================================================

    modifier step(uint256 entropy) {
        // Half the actions happen some hours after the previous one, the rest in the same second.
        uint256 e = uint256(keccak256(abi.encode(entropy, steps)));
        if (e % 2 == 0) currentTime += uint48(e % 6 hours);
        vm.warp(currentTime);
        ++steps;
        _;
    }

    // A new firm once the current one is spent (its proposals used up, or fewer than three partners
    // left), and one time in eight anyway.
    function newFirm(uint256 seed) external step(seed) {
        if (_firms.length >= MAX_FIRMS) return;
        if (!_spent(_current()) && seed % 8 != 0) return;
        (address[] memory founders, uint64[] memory units) = _randomFounders(seed, _firms.length);
        uint16[4] memory quorums = [uint16(2_000), 3_000, 4_000, 5_000];
        GovernanceSettings memory settings = _settings(quorums[_mix(seed, 200) % 4], quorums[_mix(seed, 201) % 4]);
        FirmContracts memory f = _deployFirm(founders, units, TIMELOCK_DELAY, settings);
        _start(f, units, settings.equityQuorumBps, settings.headcountQuorumBps, bound(_mix(seed, 202), 1 ether, 1_000 ether));
    }

    // 3 to 9 founders of firm `k`, each with 1 to 1,000 units; one in four holds 25 times more, so
    // equity and headcount majorities differ.
    function _randomFounders(uint256 seed, uint256 k) private pure returns (address[] memory founders, uint64[] memory units) {
        uint256 n = 3 + (seed % 7);
        founders = new address[](n);
        units = new uint64[](n);
        for (uint256 i = 0; i < n; ++i) {
            founders[i] = memberAddress(k, i);
            units[i] = uint64(bound(_mix(seed, i), 1, 1_000));
            if (_mix(seed, 100 + i) % 4 == 0) units[i] *= 25;
        }
    }

    function takeLeave(uint256 partnerSeed, uint256 coverSeed, uint256 lengthSeed, uint256 acceptSeed) external step(partnerSeed) {
        _takeLeave(partnerSeed, coverSeed, lengthSeed, acceptSeed);
    }

    function _takeLeave(uint256 partnerSeed, uint256 coverSeed, uint256 lengthSeed, uint256 acceptSeed) private {
        uint256 k = _current();
        address partner = _pickWhere(k, _mix(partnerSeed, 1), _canLeave);
        if (partner == address(0)) return;
        // One time in five nobody is asked; otherwise mostly a colleague free to cover, and sometimes a
        // busy one (on leave or covering), whom declareLeave refuses.
        address cover;
        if (coverSeed % 5 == 1) cover = _pickOther(k, _mix(coverSeed, 2), partner, _active);
        else if (coverSeed % 5 > 1) cover = _pickOther(k, _mix(coverSeed, 2), partner, _canCover);
        bool valid = cover == address(0) || _canCover(cover);
        uint256 until = currentTime + bound(lengthSeed, MIN_LEAVE, 20 days);
        vm.prank(partner);
        try _firms[k].partnership.declareLeave(uint48(until), cover) {
            if (!valid) _flag(Check.Model, "declareLeave accepted a busy cover");
            _leaves[k].push(LeaveModel(partner, cover, currentTime, uint48(until), 0, 0));
        } catch (bytes memory reason) {
            if (valid) _flag(Check.Model, string.concat("declareLeave refused a valid leave, error ", uint256(uint32(bytes4(reason))).toString()));
            return;
        }
        // Two times in three the colleague asked accepts, if free to.
        if (cover == address(0) || acceptSeed % 3 == 0) return;
        valid = _canCover(cover);
        vm.prank(cover);
        try _firms[k].partnership.acceptCover(partner) {
            if (!valid) _flag(Check.Model, "acceptCover accepted a busy cover");
            LeaveModel storage l = _leaves[k][_leaves[k].length - 1];
            (l.coverFrom, l.coverUntil) = (currentTime, l.until);
            ++acceptedCount;
        } catch {
            if (valid) _flag(Check.Model, "acceptCover refused a free cover");
        }
    }

    function endLeaveOrResign(uint256 seed) external step(seed) {
        uint256 k = _current();
        if (seed % 2 == 0) {
            address partner = _pickWhere(k, _mix(seed, 3), _onLeaveNow);
            if (partner == address(0)) return;
            vm.prank(partner);
            try _firms[k].partnership.endLeave() {
                _endLeave(k, _leaveAt(partner, currentTime));
            } catch {
                _flag(Check.Model, "endLeave refused a partner on leave");
            }
        } else {
            address cover = _pickWhere(k, _mix(seed, 4), _coveringNow);
            if (cover == address(0)) return;
            vm.prank(cover);
            try _firms[k].partnership.resignCover() {
                _leaves[k][_coveringAt(cover, currentTime) - 1].coverUntil = currentTime;
            } catch {
                _flag(Check.Model, "resignCover refused a cover");
            }
        }
    }

    function propose(uint256 kindSeed, uint256 coalitionSeed, uint256 actionSeed) external step(kindSeed) {
        uint256 k = _current();
        if (_firmProposals[k].length >= MAX_PROPOSALS_PER_FIRM) return;
        // One time in three a partner first goes on leave, usually asking a colleague who accepts: the
        // snapshot, a second later, then falls inside the cover.
        if (kindSeed % 3 == 0) _takeLeave(_mix(kindSeed, 50), _mix(kindSeed, 51), _mix(kindSeed, 52), _mix(kindSeed, 53));
        uint256 coalition = _coalition(k, coalitionSeed);
        if (coalition == 0) return;
        address proposer = _members[k][_lowestBit(coalition)];
        uint256 p = _proposals.length;
        _proposals.push();
        ProposalModel storage m = _proposals[p];
        m.firm = k;
        m.coalition = coalition;
        _buildBundle(p, kindSeed, actionSeed);
        _classify(p);
        string memory description = string.concat("proposal ", p.toString());
        m.descriptionHash = keccak256(bytes(description));
        bool valid = !(m.expels && m.actions > 1);
        vm.prank(proposer);
        try _firms[k].governor.propose(_targets[p], _values[p], _calldatas[p], description) returns (uint256 id) {
            if (!valid) _flag(Check.Expulsions, "propose accepted an expulsion bundled with other actions");
            m.id = id;
            m.snapshot = currentTime + VOTING_DELAY;
            m.deadline = m.snapshot + VOTING_PERIOD;
            (m.expulsionEquityBps, m.expulsionHeadcountBps) = _ruleAt(k, m.snapshot);
            _firmProposals[k].push(p);
            _recuse(p);
        } catch (bytes memory reason) {
            bytes memory expected = abi.encodeWithSelector(IFirmGovernor.GovernorExpulsionNotAlone.selector, m.actions);
            if (valid) _flag(Check.Model, "propose refused a valid proposal");
            else if (keccak256(reason) != keccak256(expected)) _flag(Check.Expulsions, "a bundled expulsion failed for another reason");
            else ++refusedBundleCount;
            // The next proposal takes this index: it starts from empty bundles.
            delete _actions[p];
            delete _targets[p];
            delete _values[p];
            delete _calldatas[p];
            _proposals.pop();
        }
    }

    // Every partner votes at once on one proposal: the coalition For, the others Against, Abstain or
    // absent, each through whatever ballots they hold at the snapshot.
    function vote(uint256 proposalSeed, uint256 patternSeed) external step(proposalSeed) {
        uint256 k = _current();
        uint256[] storage list = _firmProposals[k];
        if (list.length == 0) return;
        uint256 p = list[proposalSeed % list.length];
        for (uint256 j = 0; j < list.length && _proposals[p].voted; ++j) p = list[(proposalSeed + j) % list.length];
        ProposalModel storage m = _proposals[p];
        if (m.voted || currentTime > m.deadline) return;
        if (currentTime <= m.snapshot) _jumpTo(m.snapshot + 1 + (patternSeed % 1 days));
        _voteOn(p, patternSeed);
    }

    function _voteOn(uint256 p, uint256 patternSeed) private {
        ProposalModel storage m = _proposals[p];
        m.voted = true;
        address[] storage members = _members[m.firm];
        uint256 start = _mix(patternSeed, 5);
        for (uint256 j = 0; j < members.length; ++j) {
            uint256 i = (start + j) % members.length;
            uint8 support;
            if ((m.coalition >> i) & 1 == 1) {
                support = 1;
            } else {
                uint256 r = _mix(patternSeed, 10 + i) % 4;
                if (r == 2) continue; // absent
                support = r == 1 ? 2 : 0;
            }
            _castVote(p, members[i], support);
        }
        (uint256 againstE, uint256 forE, uint256 abstainE, uint256 againstH, uint256 forH, uint256 abstainH) = _firms[m.firm]
            .governor
            .proposalVotes(m.id);
        if (
            forE != m.forEquity ||
            forH != m.forHeads ||
            againstE != m.againstEquity ||
            againstH != m.againstHeads ||
            abstainE != m.abstainEquity ||
            abstainH != m.abstainHeads
        ) _flag(Check.Model, "the tally differs from the ballots cast");
    }

    // Moves time (by hours or days, or to the next deadline or eta), then checks every proposal's
    // state against the rules and queues and executes what may be.
    function advance(uint256 seed) external step(seed) {
        uint256 mode = seed % 4;
        uint256 next = mode >= 2 ? _nextEvent(_current()) : 0;
        if (next != 0) _jumpTo(next);
        else _jumpTo(currentTime + (mode == 0 ? bound(_mix(seed, 6), 1 hours, 1 days) : bound(_mix(seed, 6), 1 days, 4 days)));
        uint256[] storage list = _firmProposals[_current()];
        for (uint256 j = 0; j < list.length; ++j) {
            ProposalModel storage m = _proposals[list[j]];
            // A vote open and not yet cast: the partners vote now, before anything else happens.
            if (!m.voted && currentTime > m.snapshot && currentTime <= m.deadline) _voteOn(list[j], _mix(seed, 40 + j));
            _settle(list[j], _mix(seed, 20 + j));
        }
    }

    // A member rage-quits: three times in four one free to (no live lock), settling what is over.
    function exit(uint256 memberSeed) external step(memberSeed) {
        // Half the time only: every exit shrinks the firm for the rest of the walk.
        if (memberSeed % 2 == 0) return;
        uint256 k = _current();
        address member = memberSeed % 8 == 1 ? _pick(k, _mix(memberSeed, 7)) : _pickWhere(k, _mix(memberSeed, 7), _mayExit);
        if (member == address(0)) return;
        (uint256 live, uint256[] memory over) = _locksOf(member);
        MemberModel storage mm = _model[member];
        FirmModel storage fm = _firmModels[k];
        uint64 units = mm.burned ? 0 : mm.units;
        uint256 share = units == 0 ? 0 : (fm.treasury * units) / fm.outstanding;
        vm.prank(member);
        try _firms[k].withdrawals.ragequit(over) returns (uint64 burned) {
            if (live != 0) {
                _flag(Check.Treasury, "ragequit let out a member with a live For vote on a fund-moving proposal");
                return;
            }
            if (burned != units) _flag(Check.Treasury, "ragequit burned other than the member's units");
            if (_firms[k].withdrawals.owed(member, address(0)) != mm.owed + share) {
                _flag(Check.Treasury, "ragequit credited other than treasury * units / units outstanding");
            }
            for (uint256 j = 0; j < over.length; ++j) _locked[_indexOf(k, over[j])][member] = false;
            fm.treasury -= share;
            fm.outstanding -= units;
            mm.owed += share;
            mm.burned = true;
            ++exitCount;
            if (!mm.departed) _depart(member);
        } catch (bytes memory reason) {
            bytes memory expected = abi.encodeWithSelector(IWithdrawals.WithdrawalLockedByVotes.selector, member, live);
            if (live == 0 || keccak256(reason) != keccak256(expected)) _flag(Check.Treasury, "ragequit refused other than for live locks");
        }
    }

    function claim(uint256 memberSeed) external step(memberSeed) {
        uint256 k = _current();
        address member = memberSeed % 4 == 0 ? _pick(k, _mix(memberSeed, 8)) : _pickWhere(k, _mix(memberSeed, 8), _isOwed);
        if (member == address(0)) return;
        uint256 owed = _model[member].owed;
        uint256 before = member.balance;
        vm.prank(member);
        try _firms[k].withdrawals.claim(address(0)) returns (uint256 paid) {
            if (owed == 0 || paid != owed || member.balance != before + owed) _flag(Check.Treasury, "claim paid other than what was owed");
            _model[member].owed = 0;
        } catch {
            if (owed != 0) _flag(Check.Treasury, "claim refused what is owed");
        }
    }

    // The attacker tries the doors that bypass a vote: the withdrawal desk's pay-out, a withdrawal of
    // its own, and the timelock directly. Each must fail.
    function attackerBypass(uint256 seed) external step(seed) {
        uint256 k = _current();
        FirmContracts storage f = _firms[k];
        uint256 amount = bound(seed, 1, _firmModels[k].treasury + 1);
        vm.prank(ATTACKER);
        try f.timelock.payOut(address(0), amount) {
            _flag(Check.Treasury, "the attacker was paid out without the withdrawal role");
        } catch {}
        vm.prank(ATTACKER);
        try f.withdrawals.ragequit(new uint256[](0)) {
            _flag(Check.Treasury, "a non-member withdrew");
        } catch {}
        vm.prank(ATTACKER);
        try f.timelock.execute(ATTACKER, amount, "", bytes32(0), bytes32(seed)) {
            _flag(Check.Treasury, "the timelock executed an unscheduled call");
        } catch {}
    }

    // ==========================================================================================
    // The model, read by the invariants
    // ==========================================================================================

    function firmCount() external view returns (uint256) {
        return _firms.length;
    }

    function firm(uint256 k) external view returns (FirmContracts memory) {
        return _firms[k];
    }

    function firmModel(uint256 k) external view returns (FirmModel memory) {
        return _firmModels[k];
    }

    function owedIn(uint256 k) external view returns (uint256 total) {
        address[] storage members = _members[k];
        for (uint256 i = 0; i < members.length; ++i) total += _model[members[i]].owed;
    }

    function proposalCount() external view returns (uint256) {
        return _proposals.length;
    }

    function proposal(uint256 p) external view returns (ProposalModel memory) {
        return _proposals[p];
    }

    function actionsOf(uint256 p) external view returns (Action[] memory) {
        return _actions[p];
    }

    // The eligible bases of proposal `p`, from the model: every partner at the snapshot (on leave or
    // not) and their units, less the subject if a partner then.
    function eligibleOf(uint256 p) public view returns (uint256 heads, uint256 equity) {
        ProposalModel storage m = _proposals[p];
        address[] storage members = _members[m.firm];
        for (uint256 i = 0; i < members.length; ++i) {
            address a = members[i];
            if (a == m.subject || !_partnerAt(a, m.snapshot)) continue;
            ++heads;
            equity += _model[a].units;
        }
    }

    // ==========================================================================================
    // Internal: firms and members
    // ==========================================================================================

    function _settings(uint16 equityQuorumBps, uint16 headcountQuorumBps) private pure returns (GovernanceSettings memory) {
        return
            GovernanceSettings({
                votingDelay: VOTING_DELAY,
                votingPeriod: VOTING_PERIOD,
                gracePeriod: GRACE_PERIOD,
                equityQuorumBps: equityQuorumBps,
                headcountQuorumBps: headcountQuorumBps
            });
    }

    function _start(FirmContracts memory f, uint64[] memory units, uint16 equityQuorumBps, uint16 headcountQuorumBps, uint256 treasury) private {
        uint256 k = _firms.length;
        _firms.push(f);
        uint256 outstanding;
        for (uint256 i = 0; i < units.length; ++i) {
            address a = memberAddress(k, i);
            _members[k].push(a);
            _model[a] = MemberModel({
                firm: k,
                index: i + 1,
                since: currentTime,
                until: 0,
                departed: false,
                burned: false,
                grantRevoked: false,
                units: units[i],
                owed: 0
            });
            outstanding += units[i];
        }
        _firmModels.push(
            FirmModel({
                treasury: treasury,
                outstanding: outstanding,
                delay: TIMELOCK_DELAY,
                equityQuorumBps: equityQuorumBps,
                headcountQuorumBps: headcountQuorumBps
            })
        );
        _rules[k].push(RuleModel(0, 7_500, 7_500));
        vm.deal(address(f.timelock), address(f.timelock).balance + treasury);
        // Founders' stakes vest in their first second: from the next one on, units are all vested.
        _jumpTo(currentTime + 1);
    }

    function _current() private view returns (uint256) {
        return _firms.length - 1;
    }

    function _spent(uint256 k) private view returns (bool) {
        if (_firmProposals[k].length >= MAX_PROPOSALS_PER_FIRM) return true;
        uint256 active;
        address[] storage members = _members[k];
        for (uint256 i = 0; i < members.length; ++i) {
            if (!_model[members[i]].departed) ++active;
        }
        return active < 3;
    }

    function _partnerAt(address a, uint256 t) private view returns (bool) {
        MemberModel storage m = _model[a];
        return m.since != 0 && m.since <= t && (m.until == 0 || t < m.until);
    }

    function _active(address a) private view returns (bool) {
        return _model[a].since != 0 && !_model[a].departed;
    }

    // Departs `a` now: the partnership ends, a leave ends with its cover, a cover they held ends (the
    // leave goes on), and every grant is revoked.
    function _depart(address a) private {
        MemberModel storage m = _model[a];
        m.until = currentTime;
        m.departed = true;
        m.grantRevoked = true;
        uint256 k = m.firm;
        uint256 leave = _leaveAt(a, currentTime);
        if (leave != 0) _endLeave(k, leave);
        uint256 covering = _coveringAt(a, currentTime);
        if (covering != 0) _leaves[k][covering - 1].coverUntil = currentTime;
    }

    // ==========================================================================================
    // Internal: leaves and ballots
    // ==========================================================================================

    // Leave index + 1 of `partner` in force at `t`, 0 if none.
    function _leaveAt(address partner, uint256 t) private view returns (uint256) {
        LeaveModel[] storage leaves = _leaves[_model[partner].firm];
        for (uint256 i = 0; i < leaves.length; ++i) {
            if (leaves[i].partner == partner && leaves[i].from <= t && t < leaves[i].until) return i + 1;
        }
        return 0;
    }

    // Leave index + 1 whose ballot `cover` held as an accepted cover at `t`, 0 if none.
    function _coveringAt(address cover, uint256 t) private view returns (uint256) {
        LeaveModel[] storage leaves = _leaves[_model[cover].firm];
        for (uint256 i = 0; i < leaves.length; ++i) {
            LeaveModel storage l = leaves[i];
            if (l.cover == cover && l.coverFrom != 0 && l.coverFrom <= t && t < l.coverUntil) return i + 1;
        }
        return 0;
    }

    // The accepted cover holding `partner`'s ballot at `t`, 0 if none.
    function _coverOf(address partner, uint256 t) private view returns (address) {
        LeaveModel[] storage leaves = _leaves[_model[partner].firm];
        for (uint256 i = 0; i < leaves.length; ++i) {
            LeaveModel storage l = leaves[i];
            if (l.partner == partner && l.coverFrom != 0 && l.coverFrom <= t && t < l.coverUntil) return l.cover;
        }
        return address(0);
    }

    function _endLeave(uint256 k, uint256 leave) private {
        LeaveModel storage l = _leaves[k][leave - 1];
        l.until = currentTime;
        if (l.coverFrom != 0 && currentTime < l.coverUntil) l.coverUntil = currentTime;
    }

    // Who may cast `owner`'s ballot on proposal `p` now: nobody for a subject, for someone not a
    // partner at the snapshot or departed since; the cover holding it at the snapshot if still a
    // partner and not the subject; else the owner.
    function _holder(uint256 p, address owner) private view returns (address) {
        ProposalModel storage m = _proposals[p];
        if (_cast[p][owner] == 255 || !_partnerAt(owner, m.snapshot) || _model[owner].departed) return address(0);
        address cover = _coverOf(owner, m.snapshot);
        if (cover != address(0) && !_model[cover].departed && cover != m.subject) return cover;
        return owner;
    }

    function _castVote(uint256 p, address voter, uint8 support) private {
        ProposalModel storage m = _proposals[p];
        address[] storage members = _members[m.firm];
        // The ballots `voter` holds and that are still uncast: their own, and the one they cover.
        address own = _holder(p, voter) == voter && _cast[p][voter] == 0 ? voter : address(0);
        address covered;
        for (uint256 i = 0; i < members.length; ++i) {
            address owner = members[i];
            if (owner != voter && _holder(p, owner) == voter && _cast[p][owner] == 0) covered = owner;
        }
        bool recused = voter == m.subject;
        bool valid = !recused && (own != address(0) || covered != address(0));
        vm.prank(voter);
        try _firms[m.firm].governor.castVote(m.id, support) {
            if (!valid) {
                _flag(Check.Model, "castVote accepted a voter holding no uncast ballot");
                return;
            }
            if (own != address(0)) _count(p, own, support);
            if (covered != address(0)) {
                _count(p, covered, support);
                ++coverBallotCount;
            }
        } catch (bytes memory reason) {
            if (valid) _flag(Check.Model, "castVote refused a ballot's holder");
            else if (recused && bytes4(reason) != IFirmGovernor.GovernorVoterRecused.selector) {
                _flag(Check.Model, "a subject's vote failed for another reason than recusal");
            }
        }
    }

    function _count(uint256 p, address owner, uint8 support) private {
        ProposalModel storage m = _proposals[p];
        uint256 units = _model[owner].units;
        _cast[p][owner] = support + 1;
        if (support == 0) {
            ++m.againstHeads;
            m.againstEquity += units;
        } else if (support == 1) {
            ++m.forHeads;
            m.forEquity += units;
            if (m.movesFunds) _locked[p][owner] = true;
        } else {
            ++m.abstainHeads;
            m.abstainEquity += units;
        }
    }

    // ==========================================================================================
    // Internal: proposals
    // ==========================================================================================

    // A random coalition of active partners (bit i: member i); at least one. Half the time each joins
    // with odds of one half, otherwise three quarters, so that coalitions near and above a majority,
    // and near the supermajority, are both common.
    function _coalition(uint256 k, uint256 seed) private view returns (uint256 coalition) {
        address[] storage members = _members[k];
        uint256 odds = seed % 2 == 0 ? 2 : 4;
        for (uint256 i = 0; i < members.length; ++i) {
            if (_mix(seed, 60 + i) % odds != 0 && _active(members[i])) coalition |= 1 << i;
        }
        if (coalition != 0) return coalition;
        for (uint256 j = 0; j < members.length; ++j) {
            uint256 i = (seed + j) % members.length;
            if (_active(members[i])) return 1 << i;
        }
    }

    // One time in four a lone expulsion, one in eight several removals with a payment; otherwise one
    // to three random actions.
    function _buildBundle(uint256 p, uint256 kindSeed, uint256 actionSeed) private {
        uint256 mode = kindSeed % 8;
        if (mode < 2) {
            _addAction(p, Kind(1 + (_mix(kindSeed, 30) % 3)), _mix(actionSeed, 0));
        } else if (mode == 2) {
            _addAction(p, Kind.Remove, _mix(actionSeed, 0));
            _addAction(p, Kind.Remove, _mix(actionSeed, 1));
            _addAction(p, Kind.Send, _mix(actionSeed, 2));
        } else {
            uint256 n = 1 + (_mix(kindSeed, 31) % 3);
            // Mostly actions that expel no one, so that bundles pass; an expulsion one time in five,
            // which must make a bundle of several actions fail at propose.
            Kind[4] memory plain = [Kind.Send, Kind.GrantRole, Kind.SetExpulsionQuorum, Kind.UpdateDelay];
            for (uint256 i = 0; i < n; ++i) {
                uint256 r = _mix(kindSeed, 40 + i);
                Kind kind = r % 5 == 0 ? Kind(1 + ((r >> 8) % 3)) : plain[(r >> 8) % 4];
                _addAction(p, kind, _mix(actionSeed, i));
            }
        }
    }

    function _addAction(uint256 p, Kind kind, uint256 seed) private {
        uint256 k = _proposals[p].firm;
        FirmContracts storage f = _firms[k];
        Action memory a = Action(kind, address(0), 0);
        address target;
        bytes memory data;
        uint256 value;
        if (kind == Kind.Send) {
            // One time in eight more than the treasury holds: its execution must fail.
            a.amount = seed % 8 == 0 ? _firmModels[k].treasury + 1 : bound(seed, 1, _firmModels[k].treasury / 2 + 1);
            (target, value) = (ATTACKER, a.amount);
        } else if (kind == Kind.Remove || kind == Kind.Retire || kind == Kind.RevokeGrant) {
            // Three times in four an active partner, otherwise anyone who was a member.
            a.who = seed % 4 == 0 ? _pick(k, _mix(seed, 1)) : _pickWhere(k, _mix(seed, 1), _active);
            if (a.who == address(0)) a.who = _members[k][0];
            target = address(f.partnership);
            if (kind == Kind.Remove) {
                data = abi.encodeCall(Partnership.remove, (a.who));
            } else if (kind == Kind.Retire) {
                a.amount = _mix(seed, 2) % 2 == 0 ? 0 : bound(_mix(seed, 3), 1, 10 ether);
                value = a.amount;
                data = abi.encodeCall(Partnership.retire, (a.who, address(0), address(0), a.amount));
            } else {
                data = abi.encodeCall(Partnership.revokeGrant, (_model[a.who].index));
            }
        } else if (kind == Kind.GrantRole) {
            bytes32 role = seed % 2 == 0 ? f.timelock.PROPOSER_ROLE() : f.timelock.CANCELLER_ROLE();
            target = address(f.timelock);
            data = abi.encodeCall(IAccessControl.grantRole, (role, ATTACKER));
        } else if (kind == Kind.SetExpulsionQuorum) {
            // Raised or kept at three quarters, and one time in eight a bare majority, which is refused.
            uint256 e = seed % 8 == 0 ? 5_000 : bound(seed, 7_500, 10_000);
            uint256 h = bound(_mix(seed, 4), 7_500, 10_000);
            a.amount = (e << 16) | h;
            target = address(f.governor);
            data = abi.encodeCall(IFirmGovernor.setExpulsionQuorum, (uint16(e), uint16(h)));
        } else {
            a.amount = bound(seed, 1 hours, 2 days);
            target = address(f.timelock);
            data = abi.encodeCall(TimelockController.updateDelay, (a.amount));
        }
        _actions[p].push(a);
        _targets[p].push(target);
        _values[p].push(value);
        _calldatas[p].push(data);
    }

    // The model's reading of a bundle, from the actions it chose (not from the calldata).
    function _classify(uint256 p) private {
        ProposalModel storage m = _proposals[p];
        Action[] storage actions = _actions[p];
        m.actions = actions.length;
        for (uint256 i = 0; i < actions.length; ++i) {
            Action storage a = actions[i];
            if (a.kind == Kind.Remove || a.kind == Kind.Retire || a.kind == Kind.RevokeGrant) {
                if (m.subject == address(0)) m.subject = a.who;
                if (_active(a.who)) m.expels = true;
            }
            if (a.kind == Kind.GrantRole || a.kind == Kind.SetExpulsionQuorum) m.supermajority = true;
            if (a.kind == Kind.GrantRole || ((a.kind == Kind.Send || a.kind == Kind.Retire) && a.amount != 0)) m.movesFunds = true;
        }
        if (m.expels) m.supermajority = true;
    }

    // Every subject's own ballot is cast by nobody.
    function _recuse(uint256 p) private {
        Action[] storage actions = _actions[p];
        for (uint256 i = 0; i < actions.length; ++i) {
            if (actions[i].who != address(0)) _cast[p][actions[i].who] = 255;
        }
    }

    // The expulsion supermajority in force for a snapshot at `t`.
    function _ruleAt(uint256 k, uint256 t) private view returns (uint16, uint16) {
        RuleModel[] storage rules = _rules[k];
        for (uint256 i = rules.length; i > 0; --i) {
            if (rules[i - 1].since <= t) return (rules[i - 1].equityBps, rules[i - 1].headcountBps);
        }
        return (7_500, 7_500);
    }

    function _settle(uint256 p, uint256 seed) private {
        ProposalModel storage m = _proposals[p];
        IFirmGovernorUnderTest governor = _firms[m.firm].governor;
        IGovernor.ProposalState actual = governor.state(m.id);
        IGovernor.ProposalState expected = _expectedState(p);
        if (actual != expected) {
            _flag(
                Check.Model,
                string.concat("state ", uint256(actual).toString(), " where the rules say ", uint256(expected).toString(), " (proposal ", p.toString(), ")")
            );
            return;
        }
        if (actual == IGovernor.ProposalState.Succeeded && seed % 4 != 0) {
            try governor.queue(_targets[p], _values[p], _calldatas[p], m.descriptionHash) {
                m.eta = uint48(currentTime + _firmModels[m.firm].delay);
                if (governor.proposalEta(m.id) != m.eta) _flag(Check.Model, "queue set another eta than now + the delay");
            } catch {
                _flag(Check.Model, "queue refused a proposal that passed");
            }
        } else if (actual == IGovernor.ProposalState.Queued && currentTime >= m.eta && seed % 4 != 0) {
            bool valid = _executable(p);
            try governor.execute(_targets[p], _values[p], _calldatas[p], m.descriptionHash) {
                if (!valid) _flag(Check.Model, "execute ran a bundle with an action that must fail");
                m.executed = true;
                ++executedCount;
                _applyEffects(p);
            } catch {
                if (valid) _flag(Check.Model, "execute refused a bundle that can run");
            }
        }
    }

    function _expectedState(uint256 p) private returns (IGovernor.ProposalState) {
        ProposalModel storage m = _proposals[p];
        if (m.executed) return IGovernor.ProposalState.Executed;
        if (currentTime <= m.snapshot) return IGovernor.ProposalState.Pending;
        if (currentTime <= m.deadline) return IGovernor.ProposalState.Active;
        if (!_passes(p)) return IGovernor.ProposalState.Defeated;
        if (!_passed[p]) {
            _passed[p] = true;
            ++passedCount;
            if (m.supermajority) ++supermajorityPassedCount;
        }
        if (m.eta == 0) return currentTime > m.deadline + GRACE_PERIOD ? IGovernor.ProposalState.Expired : IGovernor.ProposalState.Succeeded;
        return currentTime > m.eta + GRACE_PERIOD ? IGovernor.ProposalState.Expired : IGovernor.ProposalState.Queued;
    }

    // The rules, from the model: For reaches a majority (or the supermajority) of both eligible
    // bases, and For with Abstain both quorums.
    function _passes(uint256 p) private view returns (bool) {
        ProposalModel storage m = _proposals[p];
        FirmModel storage fm = _firmModels[m.firm];
        (uint256 heads, uint256 equity) = eligibleOf(p);
        uint256 forEquity = m.supermajority ? _fraction(equity, m.expulsionEquityBps) : equity / 2 + 1;
        uint256 forHeads = m.supermajority ? _fraction(heads, m.expulsionHeadcountBps) : heads / 2 + 1;
        return
            m.forEquity >= forEquity &&
            m.forHeads >= forHeads &&
            m.forEquity + m.abstainEquity >= _fraction(equity, fm.equityQuorumBps) &&
            m.forHeads + m.abstainHeads >= _fraction(heads, fm.headcountQuorumBps);
    }

    function _fraction(uint256 base, uint256 bps) private pure returns (uint256) {
        uint256 q = (base * bps + 9_999) / 10_000;
        return q == 0 ? 1 : q;
    }

    // Whether every action of the bundle can run now, in order (a later action sees the earlier ones).
    function _executable(uint256 p) private view returns (bool) {
        Action[] storage actions = _actions[p];
        uint256 balance = _firmModels[_proposals[p].firm].treasury;
        address[] memory gone = new address[](actions.length);
        for (uint256 i = 0; i < actions.length; ++i) {
            Action storage a = actions[i];
            bool goneAlready = _model[a.who].departed || _contains(gone, a.who);
            if (a.kind == Kind.Send || a.kind == Kind.Retire) {
                if (a.amount > balance) return false;
                balance -= a.amount;
            }
            if (a.kind == Kind.Remove || a.kind == Kind.Retire) {
                if (goneAlready) return false;
                gone[i] = a.who;
            } else if (a.kind == Kind.RevokeGrant) {
                if (goneAlready || _model[a.who].grantRevoked || _revokedEarlier(actions, i)) return false;
            } else if (a.kind == Kind.SetExpulsionQuorum) {
                if ((a.amount >> 16) <= 5_000) return false;
            }
        }
        return true;
    }

    function _revokedEarlier(Action[] storage actions, uint256 i) private view returns (bool) {
        for (uint256 j = 0; j < i; ++j) {
            if (actions[j].kind == Kind.RevokeGrant && actions[j].who == actions[i].who) return true;
        }
        return false;
    }

    function _applyEffects(uint256 p) private {
        uint256 k = _proposals[p].firm;
        FirmModel storage fm = _firmModels[k];
        Action[] storage actions = _actions[p];
        for (uint256 i = 0; i < actions.length; ++i) {
            Action storage a = actions[i];
            if (a.kind == Kind.Send) {
                fm.treasury -= a.amount;
                attackerReceived += a.amount;
            } else if (a.kind == Kind.Remove) {
                _depart(a.who);
            } else if (a.kind == Kind.Retire) {
                _depart(a.who);
                fm.treasury -= a.amount;
                // A buy-back burns the retiree's units.
                if (a.amount != 0 && !_model[a.who].burned) {
                    _model[a.who].burned = true;
                    fm.outstanding -= _model[a.who].units;
                }
            } else if (a.kind == Kind.RevokeGrant) {
                _model[a.who].grantRevoked = true;
            } else if (a.kind == Kind.SetExpulsionQuorum) {
                // Scheduled after every snapshot a proposal may already have: now + the longest delay + 1.
                _rules[k].push(RuleModel(uint48(currentTime + VOTING_DELAY + 1), uint16(a.amount >> 16), uint16(a.amount)));
            } else if (a.kind == Kind.UpdateDelay) {
                fm.delay = a.amount;
            }
        }
    }

    // The next deadline + 1, eta, or start of a vote of the current firm's proposals after now, 0 if none.
    function _nextEvent(uint256 k) private view returns (uint256 next) {
        uint256[] storage list = _firmProposals[k];
        for (uint256 j = 0; j < list.length; ++j) {
            ProposalModel storage m = _proposals[list[j]];
            uint256 t;
            if (!m.voted && currentTime <= m.snapshot) t = m.snapshot + 1;
            else if (currentTime <= m.deadline) t = m.deadline + 1;
            else if (m.eta != 0 && !m.executed && currentTime < m.eta) t = m.eta;
            if (t > currentTime && (next == 0 || t < next)) next = t;
        }
    }

    // Live locks (For ballots on fund-moving proposals not over) and the ids of settled-able ones.
    function _locksOf(address member) private view returns (uint256 live, uint256[] memory over) {
        uint256 k = _model[member].firm;
        uint256[] storage list = _firmProposals[k];
        uint256[] memory ids = new uint256[](list.length);
        uint256 n;
        for (uint256 j = 0; j < list.length; ++j) {
            uint256 p = list[j];
            if (!_locked[p][member]) continue;
            IGovernor.ProposalState s = _firms[k].governor.state(_proposals[p].id);
            if (
                s == IGovernor.ProposalState.Pending ||
                s == IGovernor.ProposalState.Active ||
                s == IGovernor.ProposalState.Succeeded ||
                s == IGovernor.ProposalState.Queued
            ) ++live;
            else ids[n++] = _proposals[p].id;
        }
        over = new uint256[](n);
        for (uint256 j = 0; j < n; ++j) over[j] = ids[j];
    }

    function _indexOf(uint256 k, uint256 id) private view returns (uint256) {
        uint256[] storage list = _firmProposals[k];
        for (uint256 j = 0; j < list.length; ++j) {
            if (_proposals[list[j]].id == id) return list[j];
        }
        revert("unknown proposal");
    }

    // ==========================================================================================
    // Internal: picking
    // ==========================================================================================

    function _canLeave(address a) private view returns (bool) {
        if (!_active(a) || _leaveAt(a, currentTime) != 0 || _coveringAt(a, currentTime) != 0) return false;
        LeaveModel[] storage leaves = _leaves[_model[a].firm];
        for (uint256 i = leaves.length; i > 0; --i) {
            if (leaves[i - 1].partner == a) return currentTime >= uint256(leaves[i - 1].until) + COOLDOWN;
        }
        return true;
    }

    function _canCover(address a) private view returns (bool) {
        return _active(a) && _leaveAt(a, currentTime) == 0 && _coveringAt(a, currentTime) == 0;
    }

    function _onLeaveNow(address a) private view returns (bool) {
        return _leaveAt(a, currentTime) != 0;
    }

    function _coveringNow(address a) private view returns (bool) {
        return _coveringAt(a, currentTime) != 0;
    }

    function _mayExit(address a) private view returns (bool) {
        (uint256 live, ) = _locksOf(a);
        return live == 0 && !_model[a].burned;
    }

    function _isOwed(address a) private view returns (bool) {
        return _model[a].owed != 0;
    }

    function _pick(uint256 k, uint256 seed) private view returns (address) {
        address[] storage members = _members[k];
        return members[seed % members.length];
    }

    function _pickWhere(uint256 k, uint256 seed, function(address) view returns (bool) accept) private view returns (address) {
        address[] storage members = _members[k];
        for (uint256 j = 0; j < members.length; ++j) {
            address a = members[(seed + j) % members.length];
            if (accept(a)) return a;
        }
        return address(0);
    }

    function _pickOther(
        uint256 k,
        uint256 seed,
        address other,
        function(address) view returns (bool) accept
    ) private view returns (address) {
        address[] storage members = _members[k];
        for (uint256 j = 0; j < members.length; ++j) {
            address a = members[(seed + j) % members.length];
            if (a != other && accept(a)) return a;
        }
        return address(0);
    }

    function _contains(address[] memory list, address a) private pure returns (bool) {
        for (uint256 i = 0; i < list.length; ++i) {
            if (list[i] == a && a != address(0)) return true;
        }
        return false;
    }

    function _lowestBit(uint256 x) private pure returns (uint256 i) {
        while ((x >> i) & 1 == 0) ++i;
    }

    function _jumpTo(uint256 t) private {
        if (t > currentTime) {
            currentTime = uint48(t);
            vm.warp(t);
        }
    }

    // A second, independent draw from one fuzzed value (see FirmHandler._mix).
    function _mix(uint256 seed, uint256 salt) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }

    function _flag(Check check, string memory what) private {
        if (bytes(violation[check]).length == 0) {
            violation[check] = string.concat(what, " (t=", uint256(currentTime).toString(), ")");
        }
    }
}
