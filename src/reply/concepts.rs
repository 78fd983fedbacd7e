//! Customer-service concepts: words that name the same thing in comments to a brand, in
//! French and English. A word in a group also emits the group's feature, so "where is my
//! parcel" meets "my package hasn't arrived" and "colis" meets "livraison" even when the
//! few examples of a template never used the customer's word.
//!
//! Written for this project from general vocabulary (no third-party list). Groups are
//! kept narrow: merging words that are only sometimes synonyms costs more precision than
//! it buys recall. The word itself stays a feature too.

use super::model::IdMap;
use std::sync::OnceLock;

/// One group per line: a name, then members (surface forms; folded and stemmed at first
/// use, so plurals and accents need no listing). The `negation` group lets "can't",
/// "unable", "never" and "ne … pas" meet: many intents are the failed form of another
/// ("transfer not allowed" / "transfer"), and the apostrophe splits "n't" into a lone `t`.
const GROUPS: &str = "\
money: money funds cash argent fonds sous thune
fee: fee charge charged cost commission surcharge frais facturé tarif
price: price pricing prix tarifs combien
refund: refund reimburse reimbursement reimbursed rembourser remboursement remboursé
cancel: cancel cancelled canceled cancellation annuler annulé annulation résilier résiliation
arrive: arrive arrival arrived came come coming receive received reçu recevoir arrivé arriver
deliver: deliver delivery delivered shipping shipment shipped dispatch dispatched livraison livrer livré expédition expédié expédier
parcel: parcel package colis paquet
order: order ordered commande commander commandé
track: track tracking tracked suivi suivre
wait: wait waiting waited attendre attends attente
late: late delay delayed overdue retard retardé
still: still yet toujours encore
broken: broken damaged defective faulty cracked cassé abîmé endommagé défectueux
wrong: wrong incorrect mistake error erroneous erreur incorrect faux mauvais
withdraw: withdraw withdrawal withdrew withdrawn atm retrait retirer distributeur
transfer: transfer transferred wire virement virer transférer transféré
pay: pay paid payment paying payer payé paiement
decline: declined rejected refused denied failed unsuccessful refusé rejeté échoué
block: blocked frozen locked suspended bloqué gelé suspendu
lost: lost lose missing stolen perdu perdue volé disparu manquant
change: change modify update edit changer modifier
buy: buy purchase purchased bought acheter achat acheté
available: available availability stock disponible disponibilité dispo
shop: store shop boutique magasin
help: help assist support aide aider aidez
problem: problem issue trouble problème souci
thanks: thanks thank thx merci remercie remerciement
love: love adore loved adoré
great: great amazing awesome excellent fantastic perfect wonderful best génial super parfait top formidable incroyable meilleur impeccable flawless
beautiful: beautiful gorgeous lovely pretty stunning beau belle magnifique joli jolie sublime superbe
tasty: delicious tasty yummy délicieux délicieuse savoureux régal
recommend: recommend recommended recommande recommander conseille
bad: bad terrible awful horrible worst disappointing nul mauvais décevant déçu pire
angry: angry furious outraged fâché furieux énervé scandaleux scandalisé
scam: scam fraud fraudulent arnaque escroquerie escroc arnaqueur
legal: lawyer attorney lawsuit sue court avocat plainte procès tribunal poursuivre
danger: dangerous unsafe hazard poisoned poisoning dangereux intoxication intoxiqué
injury: injury injured hurt wounded hospital emergency blessé blessure hôpital urgences
attack: attack attacked assault assaulted hit agression agressé agresser frappé
sick: sick ill vomiting malade vomi
fire: fire smoke smoking burn burned burnt exploded explosion feu fumée fumé brûlé brûlure explosé
leak: leak leaked breach hacked données piratage piraté fuite
child: child kid son daughter baby enfant fils fille bébé
press: journalist press reporter media journaliste presse média
hours: hours open opening closed close horaires ouvert ouverture fermé ferme
book: book booking reserve reservation réserver réservation
free: free gratuit gratuite offert
wash: wash washable washing laver lavable lavage
discount: discount promo coupon voucher réduction remise
gift: gift present cadeau
want: want need wish veux voudrais besoin envie
size: size taille pointure
colour: colour color couleur black white blue red green pink noir blanc bleu rouge vert rose
follow: follow follower subscribe sub abonne abonner abonné
profile: profile bio channel profil chaîne
crypto: crypto bitcoin trading forex invest investment investir investissement
earn: earn win rich gagner gagne riche
contact: whatsapp telegram snapchat
phone: phone mobile smartphone téléphone portable
identity: identity verify verification identité vérifier vérification
card: card cards carte cartes
account: account compte
balance: balance solde
exchange: exchange rate conversion convert taux change devise currency currencies
topup: topup top-up reload recharge recharger
pin: pin passcode password mdp
app: app application appli
pending: pending processing en_cours
limit: limit limits maximum plafond limite
activate: activate activation activer activé
expire: expire expired expiry expiration expiré
abroad: abroad overseas foreign international étranger
duplicate: twice double duplicate doublon
return: return returned revert reverted retour retourner renvoyer
recipient: beneficiary recipient payee bénéficiaire destinataire
salary: salary wage paycheck salaire
address: address adresse
statement: statement transaction transactions relevé opération
contactless: contactless nfc
virtual: virtual disposable virtuel virtuelle
negation: not t cant cannot wont dont didnt doesnt isnt wasnt couldnt wouldnt arent havent hasnt never unable ne pas jamais
";

/// Hash of a stemmed word (its word feature) -> group index, built once. Keyed by the hash
/// that feature extraction computes anyway, so a lookup hashes nothing again.
fn table() -> &'static IdMap<u32> {
    static TABLE: OnceLock<IdMap<u32>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = IdMap::default();
        for (group, line) in GROUPS.lines().enumerate() {
            let members = line.split_once(':').map_or("", |(_, m)| m);
            for member in members.split_whitespace() {
                for word in super::features::words(member) {
                    table
                        .entry(super::features::word_id(&word))
                        .or_insert(group as u32);
                }
            }
        }
        table
    })
}

/// The concept group of a word, by its word feature id ([`super::features::word_id`]).
pub(crate) fn concept(word_id: u32) -> Option<u32> {
    table().get(&word_id).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_and_accented_forms_share_a_group() {
        let id = |w: &str| super::super::features::word_id(w);
        let group = |w: &str| concept(id(&super::super::features::words(w)[0]));
        assert!(group("colis").is_some());
        assert_eq!(group("colis"), group("packages"));
        assert_eq!(group("remboursé"), group("refunds"));
        assert_eq!(concept(id("the")), None);
        // "n't" splits at the apostrophe: the lone `t` carries the negation.
        assert_eq!(super::super::features::words("can't"), ["can", "t"]);
        assert_eq!(group("can"), None);
        assert!(group("t").is_some());
        assert_eq!(group("t"), group("unable"));
        assert_eq!(group("t"), group("jamais"));
    }
}
