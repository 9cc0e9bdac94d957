// Synthetic direct identifiers (name, e-mail, phone, address) for participants.csv. They exist so the
// privacy tests can check that none of them ever reaches the warehouse: every value is made up,
// e-mail domains are the reserved example.* domains (RFC 2606), and addresses use a made-up
// building name (サンプル) on a real municipality.
import type { Municipality } from './municipalities.ts';
import type { NameGroup } from './origins.ts';
import type { Random } from './random.ts';

interface NameList {
  female: readonly string[];
  male: readonly string[];
  /** Family names; absent for naming systems without them (Burmese names are one personal name). */
  family?: readonly string[];
}

const NAMES: Record<NameGroup, NameList> = {
  burmese: {
    female: ['Thandar', 'Hnin', 'Su Su', 'May', 'Khin', 'Ei Ei', 'Nilar', 'Thiri'],
    male: ['Aung', 'Kyaw', 'Min', 'Zaw', 'Htet', 'Thura', 'Naing', 'Ye'],
    // Burmese personal names are built from two or three elements; the "family" list supplies the rest.
    family: ['Win', 'Myint', 'Oo', 'Htun', 'Lin', 'Aye', 'Soe', 'Thant', 'Hlaing', 'Moe'],
  },
  afghan: {
    female: ['Mariam', 'Zahra', 'Fatima', 'Nargis', 'Parwana', 'Laila', 'Shabnam', 'Hosna'],
    male: ['Ahmad', 'Mohammad', 'Farid', 'Hamid', 'Naveed', 'Sohail', 'Javed', 'Omid'],
    family: ['Ahmadi', 'Rahimi', 'Karimi', 'Hashimi', 'Sultani', 'Noori', 'Popal', 'Wardak'],
  },
  ukrainian: {
    female: ['Olena', 'Iryna', 'Kateryna', 'Oksana', 'Yulia', 'Natalia', 'Anastasiia', 'Daria'],
    male: ['Oleksandr', 'Andrii', 'Dmytro', 'Serhii', 'Mykola', 'Yurii', 'Bohdan', 'Taras'],
    family: ['Shevchenko', 'Kovalenko', 'Bondarenko', 'Tkachenko', 'Kravchenko', 'Melnyk', 'Polishchuk', 'Boiko'],
  },
  kurdish: {
    female: ['Berfin', 'Rojda', 'Zelal', 'Dilan', 'Helin', 'Evin', 'Nazlı', 'Jiyan'],
    male: ['Baran', 'Rojhat', 'Serhat', 'Azad', 'Welat', 'Mehmet', 'Ahmet', 'Şivan'],
    family: ['Demir', 'Yıldız', 'Aslan', 'Kaya', 'Doğan', 'Çelik', 'Aydın', 'Özdemir'],
  },
  arabic: {
    female: ['Lina', 'Rania', 'Hiba', 'Nour', 'Amal', 'Reem', 'Samar', 'Dima'],
    male: ['Omar', 'Khaled', 'Yousef', 'Ahmad', 'Tarek', 'Bassel', 'Fadi', 'Mazen'],
    family: ['Al-Hassan', 'Haddad', 'Khalil', 'Mansour', 'Sabbagh', 'Nasser', 'Darwish', 'Hamdan'],
  },
  sri_lankan: {
    female: ['Nadeesha', 'Dilani', 'Kavitha', 'Sanduni', 'Tharushi', 'Nirosha', 'Priya', 'Ishara'],
    male: ['Kasun', 'Chamara', 'Nuwan', 'Tharindu', 'Ruwan', 'Suresh', 'Dinesh', 'Kumaran'],
    family: ['Perera', 'Fernando', 'Silva', 'Jayasuriya', 'Wickramasinghe', 'Rajapaksha', 'Sivakumar', 'Bandara'],
  },
  nepali: {
    female: ['Sita', 'Gita', 'Sabina', 'Anjali', 'Pooja', 'Sunita', 'Rojina', 'Kritika'],
    male: ['Ramesh', 'Bikash', 'Suman', 'Prakash', 'Rajan', 'Anil', 'Santosh', 'Dipak'],
    family: ['Shrestha', 'Gurung', 'Tamang', 'Thapa', 'Rai', 'Magar', 'Adhikari', 'Karki'],
  },
  central_african: {
    female: ['Grace', 'Aïcha', 'Esther', 'Mireille', 'Chantal', 'Nadège', 'Ruth', 'Patience'],
    male: ['Jean-Paul', 'Emmanuel', 'Patrick', 'Serge', 'Arnaud', 'Christian', 'Didier', 'Hervé'],
    family: ['Mbarga', 'Nkoulou', 'Tchoumi', 'Kabila', 'Mukendi', 'Ilunga', 'Ngono', 'Fotso'],
  },
  ethiopian: {
    female: ['Meron', 'Hiwot', 'Selam', 'Tigist', 'Bethlehem', 'Saba', 'Rahel', 'Mahlet'],
    male: ['Dawit', 'Yonas', 'Abel', 'Tesfaye', 'Samuel', 'Bereket', 'Henok', 'Kidus'],
    family: ['Tadesse', 'Haile', 'Bekele', 'Alemu', 'Girma', 'Mekonnen', 'Tesfay', 'Gebremedhin'],
  },
  persian: {
    female: ['Maryam', 'Sara', 'Niloufar', 'Shirin', 'Parisa', 'Leila', 'Azadeh', 'Roya'],
    male: ['Reza', 'Ali', 'Amir', 'Hossein', 'Mehdi', 'Babak', 'Kaveh', 'Arash'],
    family: ['Hosseini', 'Rezaei', 'Moradi', 'Karimi', 'Jafari', 'Sadeghi', 'Ahmadi', 'Mohammadi'],
  },
  pakistani: {
    female: ['Ayesha', 'Sana', 'Hina', 'Maryam', 'Nida', 'Sadia', 'Rabia', 'Zainab'],
    male: ['Imran', 'Bilal', 'Usman', 'Hamza', 'Faisal', 'Adnan', 'Asad', 'Zeeshan'],
    family: ['Khan', 'Qureshi', 'Malik', 'Chaudhry', 'Butt', 'Sheikh', 'Raza', 'Hussain'],
  },
  bengali: {
    female: ['Nusrat', 'Farzana', 'Sharmin', 'Tania', 'Rumana', 'Sadia', 'Mim', 'Lamia'],
    male: ['Rahim', 'Karim', 'Shakil', 'Tanvir', 'Arif', 'Rakib', 'Sohel', 'Mahmud'],
    family: ['Hossain', 'Rahman', 'Islam', 'Ahmed', 'Chowdhury', 'Sarkar', 'Uddin', 'Miah'],
  },
  ugandan: {
    female: ['Florence', 'Harriet', 'Prossy', 'Brenda', 'Doreen', 'Sharon', 'Esther', 'Agnes'],
    male: ['Ivan', 'Moses', 'Joseph', 'Ronald', 'Brian', 'Denis', 'Isaac', 'Robert'],
    family: ['Okello', 'Mugisha', 'Namukasa', 'Ssemwanga', 'Atwine', 'Kato', 'Nsubuga', 'Opio'],
  },
};

const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'] as const;
const BUILDINGS = ['サンプルハイツ', 'サンプルコーポ', 'サンプルマンション', 'サンプル荘'] as const;

export interface Identity {
  name: string;
  email: string;
  phone: string;
  address: string | null;
}

function asciiSlug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .replace(/[^A-Za-z]+/g, '')
    .toLowerCase();
}

export function makeIdentity(rng: Random, group: NameGroup, female: boolean, municipality: Municipality, serial: number): Identity {
  const list = NAMES[group];
  const given = rng.pick(female ? list.female : list.male);
  const family = list.family ? rng.pick(list.family) : '';
  const name = group === 'burmese' && rng.chance(0.5) ? `${given} ${family} ${rng.pick(list.family ?? [])}` : `${given} ${family}`.trim();
  const parts = name.split(' ');
  const email = `${asciiSlug(parts[0] ?? 'user')}.${asciiSlug(parts[parts.length - 1] ?? 'demo')}${serial % 1000}@${rng.pick(EMAIL_DOMAINS)}`;
  const phone = `0${rng.pick(['70', '80', '90'])}-${String(rng.int(0, 9999)).padStart(4, '0')}-${String(rng.int(0, 9999)).padStart(4, '0')}`;
  const address = rng.chance(0.7)
    ? `${municipality.prefecture}${municipality.name}${rng.int(1, 5)}-${rng.int(1, 30)}-${rng.int(1, 20)} ${rng.pick(BUILDINGS)}${rng.int(1, 5)}0${rng.int(1, 8)}`
    : null;
  return { name, email, phone, address };
}
